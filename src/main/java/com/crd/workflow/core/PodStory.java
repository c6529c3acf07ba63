package com.crd.workflow.core;

import java.time.Instant;

/**
 * What a step's pod says about why it waits or why it failed: the few fields a user can act on,
 * kept small because the mirror holds one per managed pod.
 *
 * @param jobName the Job that owns the pod
 * @param phase the pod phase (Pending, Running, Succeeded, Failed), else null
 * @param waitingReason the first container's waiting reason (ImagePullBackOff, ...), else null;
 *     the routine ContainerCreating and PodInitializing are left out
 * @param terminatedReason the first container's terminated reason (OOMKilled, Error, ...), else null
 * @param exitCode the first container's exit code once it terminated, else null
 * @param unschedulableMessage the scheduler's message while PodScheduled is False for reason
 *     Unschedulable, else null
 * @param disrupted condition DisruptionTarget is True: evicted, preempted or drained
 */
public record PodStory(String namespace, String name, String jobName, String phase,
    String waitingReason, String waitingMessage, String terminatedReason, Integer exitCode,
    String unschedulableMessage, boolean disrupted, Instant creation) {
  /** Longest message kept: a kubelet message can quote a whole registry answer. */
  static final int MAX_MESSAGE = 360;

  /** Why the pod has not started, as one line ("ImagePullBackOff: ..."), else null. */
  public String waiting() {
    if (waitingReason != null) {
      return line(waitingReason + (waitingMessage == null || waitingMessage.isBlank() ? ""
          : ": " + waitingMessage));
    }
    if (unschedulableMessage != null) {
      return line("Unschedulable: " + unschedulableMessage);
    }
    return null;
  }

  /**
   * Why its container failed ("exit code 2", "OOMKilled (memory limit 512Mi)"), else null.
   *
   * @param memoryLimit the step's memory limit as written, or null
   */
  public String failure(String memoryLimit) {
    if ("OOMKilled".equals(terminatedReason)) {
      return "OOMKilled" + (memoryLimit == null ? "" : " (memory limit " + memoryLimit + ")");
    }
    if (disrupted) {
      return "evicted (DisruptionTarget)"; // its exit code is the kill's, not the step's
    }
    if (exitCode != null && exitCode != 0) {
      return "exit code " + exitCode;
    }
    return null;
  }

  /**
   * Whether it says anything a message would use: a running or succeeded pod does not, and is
   * not worth its memory when 100,000 Jobs each have one.
   */
  public boolean tellsSomething() {
    return waiting() != null || failure(null) != null || disrupted;
  }

  /** One line, at most {@link #MAX_MESSAGE} characters. */
  static String line(String s) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= MAX_MESSAGE ? one : one.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
