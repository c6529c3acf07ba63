package com.crd.workflow.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events derived from a status transition about to be written. The operator keeps no memory of
 * what it announced: an event exists because the written status changed, so a repeated tick (no
 * write) or a restart (status already written) announces nothing twice.
 */
public final class Events {
  private Events() {}

  public static List<WorkflowEvent> between(WorkflowStatus prev, WorkflowStatus next) {
    List<WorkflowEvent> events = new ArrayList<>();
    Phase was = prev == null ? null : prev.phase();
    boolean sameSpec = prev != null && next.specHash().equals(prev.specHash());
    if (!sameSpec && prev != null && prev.specHash() != null && next.phase() == Phase.Started) {
      events.add(WorkflowEvent.normal("Restarted", next.message()));
    } else if (next.phase() == Phase.Started && was != Phase.Started) {
      events.add(WorkflowEvent.normal("Started", "workflow started: " + next.steps().size() + " steps"));
    }
    String token = next.rerunToken();
    if (token != null && !token.equals(prev == null ? null : prev.rerunToken())) {
      if (next.reruns() > (prev == null ? 0 : prev.reruns())) {
        events.add(WorkflowEvent.normal("Rerun", "re-running from the failure (run "
            + next.reruns() + "): the " + next.executedSteps().size()
            + " succeeded steps are kept"));
      } else {
        events.add(WorkflowEvent.warning("RerunRefused", "not re-run (" + token + "): "
            + (was == Phase.Failed ? "its spec is invalid or changed; a fixed spec starts it over"
                : "only a Failed workflow is re-run, this one is " + (was == null ? "new" : was.name()))));
      }
    }
    Map<String, StepState> before = new HashMap<>();
    if (sameSpec) {
      prev.steps().forEach(s -> before.put(s.name(), s.state()));
    }
    for (StepStatus s : next.steps()) {
      StepState old = before.getOrDefault(s.name(), StepState.Waiting);
      if (s.state() == old) {
        continue;
      }
      switch (s.state()) {
        case Running -> events.add(WorkflowEvent.normal("StepStarted",
            "step " + s.name() + " started (job " + s.job()
                + (s.attempts() != null && s.attempts() > 1 ? ", attempt " + s.attempts() : "")
                + ")"));
        case Retrying -> events.add(WorkflowEvent.warning("StepRetrying",
            "step " + s.name() + " " + s.message()));
        case Succeeded -> events.add(WorkflowEvent.normal("StepSucceeded",
            "step " + s.name() + " succeeded"));
        case Failed -> events.add(WorkflowEvent.warning(
            s.message().startsWith("timed out") ? "StepTimedOut" : "StepFailed",
            "step " + s.name() + " " + s.message()));
        case Queued -> events.add(WorkflowEvent.normal("StepQueued",
            "step " + s.name() + " queued (job " + s.job() + ")"));
        case Waiting, Skipped -> { }
      }
    }
    if (next.phase() == Phase.Completed && (was != Phase.Completed || !sameSpec)) {
      events.add(WorkflowEvent.normal("Completed", next.message()));
    }
    if (next.phase() == Phase.Failed && (was != Phase.Failed || !sameSpec)) {
      boolean invalid = Statuses.REASON_INVALID.equals(Statuses.activeReason(next));
      events.add(WorkflowEvent.warning(invalid ? "InvalidSpec" : "Failed", next.message()));
    }
    return events;
  }
}
