package com.crd.workflow.core;

import java.util.List;

/**
 * {@code status} of a Workflow. Everything is derived from observation and sorted, and
 * timestamps move only on transitions, so planning twice on the same world gives an equal value.
 *
 * @param rerunToken the last {@code workflow.crd.com/rerun} annotation value acted on (re-run or
 *     refused), so one annotation never re-runs twice; null before any
 * @param reruns how many times the workflow was re-run from its failure: the run its new Jobs
 *     belong to
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
    List<Condition> conditions,
    String rerunToken,
    int reruns) {
  public WorkflowStatus {
    message = message == null ? "" : message;
    executedSteps = executedSteps == null ? List.of() : List.copyOf(executedSteps);
    startedSteps = startedSteps == null ? List.of() : List.copyOf(startedSteps);
    steps = steps == null ? List.of() : List.copyOf(steps);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  public WorkflowStatus(Phase phase, String statusChanged, String message, String progress,
      String specHash, long observedGeneration, List<String> executedSteps,
      List<String> startedSteps, List<StepStatus> steps, List<Condition> conditions) {
    this(phase, statusChanged, message, progress, specHash, observedGeneration, executedSteps,
        startedSteps, steps, conditions, null, 0);
  }

  public WorkflowStatus withSpecHash(String hash) {
    return new WorkflowStatus(phase, statusChanged, message, progress, hash, observedGeneration,
        executedSteps, startedSteps, steps, conditions, rerunToken, reruns);
  }

  public WorkflowStatus withObservedGeneration(long generation) {
    return new WorkflowStatus(phase, statusChanged, message, progress, specHash, generation,
        executedSteps, startedSteps, steps, conditions, rerunToken, reruns);
  }

  /** The same status with {@code token} recorded as acted on, in run {@code runs}. */
  public WorkflowStatus withRerun(String token, int runs) {
    return new WorkflowStatus(phase, statusChanged, message, progress, specHash, observedGeneration,
        executedSteps, startedSteps, steps, conditions, token, runs);
  }

  /** The steps kept by a re-run: those that succeeded. */
  WorkflowStatus keepingSucceeded() {
    return new WorkflowStatus(phase, statusChanged, message, progress, specHash, observedGeneration,
        executedSteps, startedSteps, steps.stream().filter(s -> s.state() == StepState.Succeeded)
            .toList(), conditions, rerunToken, reruns);
  }
}
