package com.crd.workflow.core;

import java.util.List;

/**
 * {@code status} of a Workflow. Everything is derived from observation and sorted, and
 * timestamps move only on transitions, so planning twice on the same world gives an equal value.
 */
public record WorkflowStatus(
    Phase phase,
    String statusChanged,
    String message,
    String progress,
    String specHash,
    long observedGeneration,
    List<String> executedSteps,
    List<String> startedSteps,
    List<StepStatus> steps,
    List<Condition> conditions) {
  public WorkflowStatus {
    message = message == null ? "" : message;
    executedSteps = executedSteps == null ? List.of() : List.copyOf(executedSteps);
    startedSteps = startedSteps == null ? List.of() : List.copyOf(startedSteps);
    steps = steps == null ? List.of() : List.copyOf(steps);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public WorkflowStatus withSpecHash(String hash) {
    return new WorkflowStatus(phase, statusChanged, message, progress, hash, observedGeneration,
        executedSteps, startedSteps, steps, conditions);
  }

  public WorkflowStatus withObservedGeneration(long generation) {
    return new WorkflowStatus(phase, statusChanged, message, progress, specHash, generation,
        executedSteps, startedSteps, steps, conditions);
  }
}
