package com.crd.workflow.core;

import java.time.Instant;
import java.util.List;

/**
 * The planner's answer for one workflow: the status it should have, the actions to get there, and
 * when it must be looked at again even if nothing changes ({@code nextLook}, null for never: a
 * step's timeout, for example, expires without any event).
 */
public record Plan(String workflowKey, WorkflowStatus status, List<Action> actions, Instant nextLook) {
  public Plan {
    actions = List.copyOf(actions);
  }

  public Plan(String workflowKey, WorkflowStatus status, List<Action> actions) {
    this(workflowKey, status, actions, null);
  }
}
