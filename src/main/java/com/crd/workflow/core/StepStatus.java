package com.crd.workflow.core;

/**
 * {@code status.steps[]}: one entry per step, sorted by name. Null fields are omitted.
 *
 * @param attempts the attempt the step is on or ended with, when its retries allow more than one;
 *     null otherwise, so a workflow without retries has the status it always had
 */
public record StepStatus(String name, StepState state, String job, String message,
    String startedAt, String finishedAt, Integer attempts) {
  public StepStatus(String name, StepState state, String job, String message, String startedAt,
      String finishedAt) {
    this(name, state, job, message, startedAt, finishedAt, null);
  }
}
