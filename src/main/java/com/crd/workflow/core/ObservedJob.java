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
 * @param suspended {@code spec.suspend} is true: a queue (Kueue) holds it, no pod runs
 * @param resumedAt when it was last unsuspended (its Suspended condition turned False), else null
 * @param pod its newest pod that explains a wait or a failure, else null (none seen yet, gone,
 *     or running and succeeded pods only)
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
    int attempts,
    boolean suspended,
    Instant resumedAt,
    PodStory pod) {

  public enum JobPhase { RUNNING, SUCCEEDED, FAILED }

  /** As decoded from a Job: its pod is attached later, from the pods observed beside it. */
  public ObservedJob(String namespace, String name, Map<String, String> labels,
      List<String> propagatedLabels, JobPhase phase, String reason, Instant creationTime,
      Instant startTime, Instant finishTime, boolean deleting, String workflowName, int attempts,
      boolean suspended, Instant resumedAt) {
    this(namespace, name, labels, propagatedLabels, phase, reason, creationTime, startTime,
        finishTime, deleting, workflowName, attempts, suspended, resumedAt, null);
  }

  public ObservedJob(String namespace, String name, Map<String, String> labels,
      List<String> propagatedLabels, JobPhase phase, String reason, Instant creationTime,
      Instant startTime, Instant finishTime, boolean deleting, String workflowName) {
    this(namespace, name, labels, propagatedLabels, phase, reason, creationTime, startTime,
        finishTime, deleting, workflowName, 1, false, null);
  }

  /** A Job whose owner name and attempts do not matter to the caller. */
  public ObservedJob(String namespace, String name, Map<String, String> labels,
      List<String> propagatedLabels, JobPhase phase, String reason, Instant creationTime,
      Instant startTime, Instant finishTime, boolean deleting, boolean suspended,
      Instant resumedAt) {
    this(namespace, name, labels, propagatedLabels, phase, reason, creationTime, startTime,
        finishTime, deleting, null, 1, suspended, resumedAt);
  }

  public ObservedJob {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    propagatedLabels = propagatedLabels == null ? List.of() : List.copyOf(propagatedLabels);
  }

  /** A Job that was never suspended. */
  public ObservedJob(String namespace, String name, Map<String, String> labels,
      List<String> propagatedLabels, JobPhase phase, String reason, Instant creationTime,
      Instant startTime, Instant finishTime, boolean deleting) {
    this(namespace, name, labels, propagatedLabels, phase, reason, creationTime, startTime,
        finishTime, deleting, null, 1, false, null);
  }

  /** The same Job with {@code pod} as its latest pod. */
  public ObservedJob withPod(PodStory pod) {
    return new ObservedJob(namespace, name, labels, propagatedLabels, phase, reason, creationTime,
        startTime, finishTime, deleting, workflowName, attempts, suspended, resumedAt, pod);
  }

  public String workflowUid() {
    return labels.get(Names.LABEL_WORKFLOW_UID);
  }

  public String step() {
    return labels.get(Names.LABEL_STEP);
  }

  /**
   * Which attempt of its step this Job is: its attempt label, and 1 without one (the first
   * attempt's Job keeps the name and labels it had before retries existed).
   */
  public int attempt() {
    String a = labels.get(Names.LABEL_ATTEMPT);
    if (a == null) {
      return 1;
    }
    try {
      return Math.max(1, Integer.parseInt(a));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  public String specHash() {
    return labels.get(Names.LABEL_SPEC_HASH);
  }

  /**
   * When the step's clock started: the Job's start (the Job controller sets it again when a queue
   * admits a suspended Job), else when it was resumed, else its creation if it never started;
   * null while it is suspended, since time waiting in a queue is not the step's running time.
   */
  public Instant runningSince() {
    if (suspended) {
      return null;
    }
    return startTime != null ? startTime : resumedAt != null ? resumedAt : creationTime;
  }

  /** Holds a pod, or is about to: unfinished, not suspended and not being deleted. */
  public boolean active() {
    return phase == JobPhase.RUNNING && !suspended && !deleting;
  }
}
