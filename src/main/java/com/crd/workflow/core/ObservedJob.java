package com.crd.workflow.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A managed Job as observed: only what the planner needs.
 *
 * @param propagatedLabels the workflow label keys the operator copied onto it (an annotation), so
 *     relabelling removes only those and never a label someone else added
 * @param reason why it failed (a Job condition reason such as BackoffLimitExceeded), else null
 * @param startTime when the Job controller started it, else null
 * @param finishTime completion or failure time, else null
 * @param workflowName the name in its controller ownerReference, else null
 * @param attempts pods the Job has run or is running (at least 1): a step's attempts
 */
public record ObservedJob(
    String namespace,
    String name,
    Map<String, String> labels,
    List<String> propagatedLabels,
    JobPhase phase,
    String reason,
    Instant creationTime,
    Instant startTime,
    Instant finishTime,
    boolean deleting,
    String workflowName,
    int attempts) {

  public enum JobPhase { RUNNING, SUCCEEDED, FAILED }

  public ObservedJob(String namespace, String name, Map<String, String> labels,
      List<String> propagatedLabels, JobPhase phase, String reason, Instant creationTime,
      Instant startTime, Instant finishTime, boolean deleting, String workflowName) {
    this(namespace, name, labels, propagatedLabels, phase, reason, creationTime, startTime,
        finishTime, deleting, workflowName, 1);
  }

  public ObservedJob {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    propagatedLabels = propagatedLabels == null ? List.of() : List.copyOf(propagatedLabels);
  }

  public String workflowUid() {
    return labels.get(Names.LABEL_WORKFLOW_UID);
  }

  public String step() {
    return labels.get(Names.LABEL_STEP);
  }

  public String specHash() {
    return labels.get(Names.LABEL_SPEC_HASH);
  }

  /** When the step's clock started: the Job's start, or its creation if it never started. */
  public Instant runningSince() {
    return startTime != null ? startTime : creationTime;
  }
}
