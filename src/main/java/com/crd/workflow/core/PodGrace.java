package com.crd.workflow.core;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Pods and Jobs arrive on separate watches, so a Job's failure can be seen before its pod's end.
 * A failed attempt's message is written once and never rewritten, so a workflow whose newest
 * failure has no pod story yet is looked at again a moment later rather than planned with only
 * the Job's reason ("BackoffLimitExceeded" instead of "exit code 2"). Bounded: after
 * {@link #WAIT} past the Job's failure it is planned with what is known.
 */
public final class PodGrace {
  /**
   * Long enough for a pod event that trails its Job's on another watch (the Job controller acts
   * on the pod's end, so it happened first), short enough that a cluster whose failed Jobs never
   * had a pod to see delays a failure little. Job times have second precision: 1-2 s in effect.
   */
  public static final Duration WAIT = Duration.ofSeconds(2);

  private PodGrace() {}

  /** When to plan these Jobs' workflow if a failure still waits for its pod's story, else null. */
  public static Instant until(List<ObservedJob> jobs, Instant now) {
    Instant latest = null;
    for (ObservedJob j : jobs) {
      if (j.phase() != JobPhase.FAILED || j.finishTime() == null || j.deleting()
          || "DeadlineExceeded".equals(j.reason())) {
        continue; // a timeout's message comes from the spec, not from an ended container
      }
      if (j.pod() != null && j.pod().failure(null) != null) {
        continue;
      }
      Instant end = j.finishTime().plus(WAIT);
      if (now.isBefore(end) && (latest == null || end.isAfter(latest))) {
        latest = end;
      }
    }
    return latest;
  }
}
