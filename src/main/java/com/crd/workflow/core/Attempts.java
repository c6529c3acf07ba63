package com.crd.workflow.core;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/**
 * A step's attempts, read from its observed Jobs (one Job per attempt) and, for an attempt whose
 * Job was cleaned away during the backoff, from the status. Nothing is remembered in memory: the
 * attempt count and the time the last attempt finished are observed, so a crash at any instant
 * neither skips a backoff nor adds an attempt.
 */
final class Attempts {
  /** The Job reason when a podFailurePolicy FailJob rule matched: the exit code is not retried. */
  static final String REASON_POD_FAILURE_POLICY = "PodFailurePolicy";

  private Attempts() {}

  /**
   * What was seen of one step.
   *
   * @param retryAt when its next attempt may start; null unless its last attempt failed and a
   *     retry is due
   * @param attempt the attempt its latest Job (or the status) stands for; 0 before the first
   */
  record Seen(StepStatus status, Instant retryAt, int attempt) {}

  /** The Job of the step's latest attempt: the highest attempt number, then the first name. */
  static ObservedJob latest(List<ObservedJob> jobs) {
    return jobs.stream().min(Comparator.comparingInt(ObservedJob::attempt).reversed()
        .thenComparing(ObservedJob::name)).orElse(null);
  }

  /**
   * @param job the latest attempt's Job, or null
   * @param before the step in the status last written for this very spec, or null
   */
  static Seen observe(Step s, ObservedJob job, StepStatus before, WorkflowSpec spec, Instant now) {
    Retries r = spec.retriesOf(s);
    String step = s.stepName();
    int n = job == null ? 0 : job.attempt();
    if (r != null && before != null && before.state() == StepState.Retrying
        && before.attempts() != null && before.attempts() > n && time(before.finishedAt()) != null) {
      // The failed attempt's Job is gone (cleaned away) while its backoff runs: the status
      // remembers the attempt and when it finished.
      return new Seen(before, r.nextAttemptAt(time(before.finishedAt()), before.attempts()),
          before.attempts());
    }
    if (job == null) {
      return new Seen(new StepStatus(step, StepState.Waiting, null, null, null, null), null, 0);
    }
    Integer shown = r != null && r.limit() > 0 ? n : null;
    String started = Statuses.format(job.startTime());
    String finished = Statuses.format(job.finishTime());
    if (job.phase() == JobPhase.SUCCEEDED) {
      return new Seen(new StepStatus(step, StepState.Succeeded, job.name(), null, started, finished,
          shown), null, n);
    }
    if (job.phase() == JobPhase.FAILED) {
      String why = "DeadlineExceeded".equals(job.reason()) ? timedOut(spec, job.pod())
          : "failed: " + failure(s, job, spec);
      boolean retryable = r != null && n < r.attempts()
          && !REASON_POD_FAILURE_POLICY.equals(job.reason());
      Instant end = job.finishTime() != null ? job.finishTime()
          : job.startTime() != null ? job.startTime() : job.creationTime();
      if (retryable && end != null) {
        Instant at = r.nextAttemptAt(end, n);
        String msg = "attempt " + n + " of " + r.attempts() + " " + why + "; next attempt at "
            + Statuses.format(at.plusMillis(999));
        return new Seen(new StepStatus(step, StepState.Retrying, job.name(), msg, started,
            finished, shown), at, n);
      }
      String count = shown == null ? "" : " (attempt " + n + " of " + r.attempts()
          + (REASON_POD_FAILURE_POLICY.equals(job.reason()) ? ", its exit code is not retried" : "")
          + ")";
      return new Seen(new StepStatus(step, StepState.Failed, job.name(), why + count, started,
          finished, shown), null, n);
    }
    String attemptOf = shown == null || n <= 1 ? null : "attempt " + n + " of " + r.attempts();
    if (job.suspended()) {
      return new Seen(new StepStatus(step, StepState.Queued, job.name(),
          Planner.queuedMessage(spec), null, null, shown), null, n);
    }
    // A pod that never starts (bad image, no capacity) must not hold the workflow forever. The
    // Job may still be live, so this is final: a retry now could run two attempts at once.
    if (!spec.unlimited() && job.runningSince() != null && now.isAfter(Planner.deadline(spec, job))) {
      return new Seen(new StepStatus(step, StepState.Failed, job.name(),
          timedOut(spec, job.pod()) + (shown == null ? "" : " (attempt " + n + " of " + r.attempts() + ")"),
          started, null, shown), null, n);
    }
    String waiting = job.pod() == null ? null : job.pod().waiting();
    String msg = waiting == null ? attemptOf : attemptOf == null ? waiting : attemptOf + "; " + waiting;
    return new Seen(new StepStatus(step, StepState.Running, job.name(), msg, started, null,
        shown), null, n);
  }

  static String timedOut(WorkflowSpec spec) {
    return "timed out after " + spec.maxStepTimeout() + "s";
  }

  /** A pod that never started says why: that is what the user has to fix, not the timeout. */
  static String timedOut(WorkflowSpec spec, PodStory pod) {
    String waiting = pod == null ? null : pod.waiting();
    return timedOut(spec) + (waiting == null ? "" : ": " + waiting);
  }

  /**
   * What failed the attempt, as the user can act on it: its pod's exit code or OOMKilled, else
   * the Job's reason (the pod is not seen yet, or already gone).
   */
  static String failure(Step s, ObservedJob job, WorkflowSpec spec) {
    String fromPod = job.pod() == null ? null
        : job.pod().failure(memoryLimit(spec.containerOf(s)));
    if (fromPod != null) {
      return fromPod;
    }
    if (job.pod() != null && job.pod().waiting() != null) {
      return (job.reason() == null ? "unknown reason" : job.reason()) + ": " + job.pod().waiting();
    }
    return job.reason() == null ? "unknown reason" : job.reason();
  }

  /** {@code resources.limits.memory} as written (a quantity string or a number), else null. */
  static String memoryLimit(java.util.Map<String, Object> container) {
    Object m = Data.map(Data.map(container, "resources"), "limits").get("memory");
    if (m instanceof Number num) {
      return new java.math.BigDecimal(num.toString()).stripTrailingZeros().toPlainString();
    }
    return m == null ? null : m.toString();
  }

  private static Instant time(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
