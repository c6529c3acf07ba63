package com.crd.workflow.core;

import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.DeleteWorkflow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a finished workflow leaves behind and when it goes: the Workflow itself after
 * ttlSecondsAfterFinished, its Jobs after jobRetention. Both count from the finish the status
 * records ({@code status-changed} of a final phase), so no timer lives anywhere but in the plan's
 * next look.
 */
final class CleanUp {
  private CleanUp() {}

  /**
   * @param workflow the delete that is due now, else null
   * @param jobs the Job deletes that are due now
   * @param at the next moment something falls due; null when nothing will
   */
  record Due(DeleteWorkflow workflow, List<DeleteJob> jobs, Instant at) {}

  private static final Due NONE = new Due(null, List.of(), null);

  /**
   * @param next the status this plan gives the workflow
   * @param defaultTtl the operator's --default-ttl in seconds, for a workflow without its own
   */
  static Due due(Workflow wf, WorkflowStatus next, Map<String, List<ObservedJob>> jobs,
      Long defaultTtl, Instant now) {
    Instant finished = next.phase() != null && next.phase().isFinal()
        ? Statuses.time(next.statusChanged()) : null;
    if (finished == null) {
      return NONE;
    }
    // Finishing in this very plan: nothing goes before the status that says so is written, so
    // even a TTL of 0 leaves a Failed or Completed workflow readable until then.
    boolean written = wf.status() != null && wf.status().phase() == next.phase();
    WorkflowSpec spec = wf.spec();
    Long ttl = spec != null && spec.ttlSecondsAfterFinished() != null
        && spec.ttlSecondsAfterFinished() >= 0 ? spec.ttlSecondsAfterFinished() : defaultTtl;
    Instant at = null;
    if (ttl != null) {
      Instant gone = finished.plusSeconds(ttl);
      if (written && !now.isBefore(gone)) {
        return new Due(new DeleteWorkflow(wf.namespace(), wf.name(), wf.uid(),
            "finished " + ttl + "s ago (ttlSecondsAfterFinished)"), List.of(), null);
      }
      at = gone;
    }
    Long keep = spec == null ? null
        : next.phase() == Phase.Completed ? spec.retainJobsOnSuccess() : spec.retainJobsOnFailure();
    List<DeleteJob> deletes = new ArrayList<>();
    if (keep != null && keep >= 0) {
      Instant due = finished.plusSeconds(keep);
      boolean any = false;
      for (List<ObservedJob> js : jobs.values()) {
        for (ObservedJob j : js) {
          if (j.deleting()) {
            continue;
          }
          any = true;
          if (written && !now.isBefore(due)) {
            deletes.add(new DeleteJob(j.namespace(), j.name(), "finished " + keep
                + "s ago (jobRetention)", null));
          }
        }
      }
      if (any && (!written || now.isBefore(due)) && (at == null || due.isBefore(at))) {
        at = due;
      }
    }
    return new Due(null, deletes, at);
  }
}
