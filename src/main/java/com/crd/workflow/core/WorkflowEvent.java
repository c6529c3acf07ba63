package com.crd.workflow.core;

/** A Kubernetes Event to record on the Workflow; {@code warning} selects type Warning over Normal. */
public record WorkflowEvent(boolean warning, String reason, String message) {
  public static WorkflowEvent normal(String reason, String message) {
    return new WorkflowEvent(false, reason, message);
  }

  public static WorkflowEvent warning(String reason, String message) {
    return new WorkflowEvent(true, reason, message);
  }
}
