package com.crd.workflow.core;

import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.activeDeadlineSeconds}: the whole workflow's time limit, counted from when it
 * started as its status records it, so a restarted operator keeps the same deadline.
 */
final class Deadlines {
  private Deadlines() {}

  /** When the whole workflow's deadline runs out, counted from when it started; null = never. */
  static Instant at(WorkflowSpec spec, WorkflowStatus status) {
    Instant started = Statuses.startedAt(status);
    return spec == null || spec.activeDeadlineSeconds() == null || started == null ? null
        : started.plusSeconds(spec.activeDeadlineSeconds());
  }

  static boolean past(WorkflowSpec spec, WorkflowStatus prev, Instant now) {
    Instant at = at(spec, prev);
    return at != null && !now.isBefore(at);
  }

  /** A step's state once its workflow ran out of time: what still ran is stopped, the rest skipped. */
  static StepStatus stopped(StepStatus st) {
    return switch (st.state()) {
      case Waiting, Retrying -> new StepStatus(st.name(), StepState.Skipped, st.job(),
          "not run: the workflow exceeded its deadline", st.startedAt(), st.finishedAt(),
          st.attempts());
      case Queued, Running -> new StepStatus(st.name(), StepState.Failed, st.job(),
          "stopped: the workflow exceeded its deadline", st.startedAt(), null, st.attempts());
      case Succeeded, Failed, Skipped -> st;
    };
  }

  /**
   * The Jobs of a workflow its deadline failed that still run. Checked on every plan, not only
   * the one that failed it: a delete that did not go through is tried again, and no Job of a
   * timed-out workflow keeps running.
   */
  static List<DeleteJob> stragglers(WorkflowStatus status, Map<String, List<ObservedJob>> jobs) {
    List<DeleteJob> out = new ArrayList<>();
    if (Statuses.REASON_DEADLINE.equals(Statuses.activeReason(status))) {
      jobs.values().forEach(js -> js.stream().filter(j -> j.phase() == JobPhase.RUNNING
          && !j.deleting()).forEach(j -> out.add(new DeleteJob(j.namespace(), j.name(),
              "the workflow exceeded its deadline", null))));
    }
    return out;
  }
}
