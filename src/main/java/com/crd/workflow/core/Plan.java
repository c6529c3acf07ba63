package com.crd.workflow.core;

import java.util.List;

/** The planner's answer for one workflow: the status it should have and the actions to get there. */
public record Plan(String workflowKey, WorkflowStatus status, List<Action> actions) {
  public Plan {
    actions = List.copyOf(actions);
  }
}
