package com.crd.workflow.core;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.util.List;

/**
 * Re-running a Failed workflow from its failure, asked for by the {@code workflow.crd.com/rerun}
 * annotation. Everything is derived from the annotation and the status: the status records the
 * token acted on and the run number, and a run's Jobs carry it in their names and a label, so a
 * crash between the annotation and the first new Job re-runs once, with the same Job names.
 */
final class Reruns {
  private Reruns() {}

  /** The annotation carries a token the status has not acted on yet. */
  static boolean asked(Workflow wf) {
    String token = wf.rerunToken();
    String done = wf.status() == null ? null : wf.status().rerunToken();
    return token != null && !token.isEmpty() && !token.equals(done);
  }

  /**
   * Whether to re-run now: only a Failed workflow, for the spec it failed with, that failed
   * running (an invalid spec has nothing to re-run).
   */
  static boolean due(Workflow wf, boolean valid, String hash) {
    WorkflowStatus prev = wf.status();
    return asked(wf) && valid && prev != null && prev.phase() == Phase.Failed
        && hash.equals(prev.specHash())
        && !Statuses.REASON_INVALID.equals(Statuses.activeReason(prev));
  }

  /**
   * The workflow as the next run starts from it: only its succeeded steps are kept, the token is
   * recorded and the run counted, and the phase is not final any more (Created, so the Started
   * it turns into is a transition with its own timestamps).
   */
  static Workflow start(Workflow wf) {
    WorkflowStatus prev = wf.status();
    WorkflowStatus base = new WorkflowStatus(Phase.Created, prev.statusChanged(), prev.message(),
        prev.progress(), prev.specHash(), prev.observedGeneration(), prev.executedSteps(),
        prev.startedSteps(), prev.steps().stream().filter(s -> s.state() == StepState.Succeeded)
            .toList(), prev.conditions(), wf.rerunToken(), prev.reruns() + 1);
    return wf.withStatus(base);
  }

  /** The run a Job was created in: its run label, 0 without one. */
  static int runOf(ObservedJob j) {
    String r = j.labels().get(Names.LABEL_RUN);
    try {
      return r == null ? 0 : Math.max(0, Integer.parseInt(r));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The Job that stands for a step in run {@code run}: a succeeded one of any run (its work is
   * done and is not repeated), else the latest attempt of this run, else one of an earlier run
   * that still runs (a second attempt must not start beside it); null when the step has none.
   */
  static ObservedJob current(List<ObservedJob> jobs, int run) {
    ObservedJob succeeded = Attempts.latest(jobs.stream()
        .filter(j -> j.phase() == JobPhase.SUCCEEDED).toList());
    if (succeeded != null) {
      return succeeded;
    }
    ObservedJob ofRun = Attempts.latest(jobs.stream().filter(j -> runOf(j) == run).toList());
    if (ofRun != null) {
      return ofRun;
    }
    return Attempts.latest(jobs.stream().filter(j -> j.phase() == JobPhase.RUNNING && !j.deleting())
        .toList());
  }
}
