package com.crd.workflow.core;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Builds statuses. Timestamps come from the previous status unless a transition happens now. */
public final class Statuses {
  public static final String COND_RUNNING = "Running";
  public static final String COND_COMPLETED = "Completed";
  public static final String COND_FAILED = "Failed";
  public static final String REASON_INVALID = "InvalidSpec";
  public static final String REASON_STEP_FAILED = "StepFailed";
  public static final String REASON_TIMED_OUT = "StepTimedOut";
  public static final String REASON_BLOCKED = "JobNameTaken";
  /** The API server refused a step's Job for good (RBAC, quota, admission). */
  public static final String REASON_REJECTED = "JobRejected";
  /** The whole workflow ran longer than spec.activeDeadlineSeconds. */
  public static final String REASON_DEADLINE = "DeadlineExceeded";
  private static final int MAX_LISTED = 5;
  /** A status message is one line of at most this many characters. */
  static final int MAX_MESSAGE = 512;

  private Statuses() {}

  /** The status of a valid workflow whose steps are as given (sorted by name). */
  static WorkflowStatus of(Workflow wf, String hash, List<StepStatus> steps, Instant now) {
    List<String> executed = names(steps, StepState.Succeeded);
    List<String> started = steps.stream()
        .filter(s -> s.state() != StepState.Waiting && s.state() != StepState.Skipped)
        .map(StepStatus::name).toList();
    List<StepStatus> failed = steps.stream().filter(s -> s.state() == StepState.Failed).toList();
    Phase phase;
    String message;
    String reason;
    if (!failed.isEmpty()) {
      StepStatus first = failed.get(0);
      phase = Phase.Failed;
      message = "step " + first.name() + " " + first.message()
          + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more failed steps)" : "");
      reason = first.message().startsWith("timed out") ? REASON_TIMED_OUT : REASON_STEP_FAILED;
    } else if (executed.size() == steps.size()) {
      phase = Phase.Completed;
      message = "all " + steps.size() + " steps succeeded";
      reason = "AllStepsSucceeded";
    } else {
      phase = Phase.Started;
      List<String> running = names(steps, StepState.Running);
      List<String> queued = names(steps, StepState.Queued);
      List<String> retrying = names(steps, StepState.Retrying);
      List<String> parts = new ArrayList<>();
      if (!running.isEmpty() || queued.isEmpty() && retrying.isEmpty()) {
        parts.add("running: " + listed(running));
      }
      if (!queued.isEmpty()) {
        parts.add("queued: " + listed(queued));
      }
      if (!retrying.isEmpty()) {
        parts.add("retrying: " + listed(retrying));
      }
      if (running.isEmpty() && queued.isEmpty() && retrying.isEmpty()) {
        // Ready steps held back by parallelism or the operator's global cap.
        parts = List.of("waiting for a free slot: " + listed(names(steps, StepState.Waiting)));
      }
      // A running step whose pod does not start says why in the workflow's message too: that is
      // the line `kubectl get` shows.
      List<String> stuck = new ArrayList<>();
      for (StepStatus st : steps) {
        String why = st.state() == StepState.Running ? podWait(st.message()) : null;
        if (why != null) {
          stuck.add("step " + st.name() + " waits: " + why);
        }
      }
      if (!stuck.isEmpty()) {
        parts.add(stuck.get(0) + (stuck.size() > 1 ? " (and " + (stuck.size() - 1) + " more)" : ""));
      }
      message = String.join("; ", parts);
      message = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
      reason = "StepsRunning";
    }
    return build(wf, phase, message, reason, hash, executed, started, steps, now);
  }

  /** The workflow ran out of time; {@code steps} already show what was stopped and skipped. */
  static WorkflowStatus deadlineExceeded(Workflow wf, String hash, List<StepStatus> steps,
      long seconds, Instant now) {
    return build(wf, Phase.Failed, "workflow exceeded its deadline of " + seconds + "s",
        REASON_DEADLINE, hash, names(steps, StepState.Succeeded), steps.stream()
            .filter(s -> s.state() != StepState.Waiting && s.state() != StepState.Skipped)
            .map(StepStatus::name).toList(), steps, now);
  }

  /**
   * When the workflow started: its Running condition turned True then (a spec change or a re-run
   * starts it again). Null before it started.
   */
  static Instant startedAt(WorkflowStatus status) {
    if (status == null || status.phase() != Phase.Started) {
      return null;
    }
    return status.conditions().stream()
        .filter(c -> COND_RUNNING.equals(c.type()) && "True".equals(c.status()))
        .map(c -> time(c.lastTransitionTime())).filter(t -> t != null).findFirst().orElse(null);
  }

  /** An RFC 3339 time from the status; null if absent or unreadable. */
  static Instant time(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  static WorkflowStatus invalid(Workflow wf, String hash, String problems, Instant now) {
    return build(wf, Phase.Failed, problems, REASON_INVALID, hash,
        List.of(), List.of(), List.of(), now);
  }

  static WorkflowStatus restarted(Workflow wf, String hash, Instant now) {
    List<StepStatus> waiting = wf.spec().steps().stream().map(Step::stepName).sorted()
        .map(n -> new StepStatus(n, StepState.Waiting, null, null, null, null)).toList();
    return build(wf, Phase.Started,
        "spec changed (generation " + wf.generation() + "): deleted the previous spec's jobs,"
            + " restarting from the first steps", "Restarted", hash,
        List.of(), List.of(), waiting, now);
  }

  /** {@code planned} turned into a permanent failure, e.g. a Job name taken by someone else. */
  public static WorkflowStatus failed(Workflow wf, WorkflowStatus planned, String reason,
      String message, Instant now) {
    return build(wf, Phase.Failed, message, reason, planned.specHash(), planned.executedSteps(),
        planned.startedSteps(), planned.steps(), now);
  }

  /** The reason of the condition that is True, e.g. InvalidSpec for a Failed invalid workflow. */
  public static String activeReason(WorkflowStatus status) {
    return status.conditions().stream().filter(c -> "True".equals(c.status()))
        .map(c -> c.reason() == null ? "" : c.reason()).findFirst().orElse("");
  }

  private static WorkflowStatus build(Workflow wf, Phase phase, String message, String reason,
      String hash, List<String> executed, List<String> started, List<StepStatus> steps, Instant now) {
    WorkflowStatus prev = wf.status();
    String changed = prev != null && prev.phase() == phase && prev.statusChanged() != null
        ? prev.statusChanged() : format(now);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(wf, COND_COMPLETED, phase == Phase.Completed, reason, message, now));
    conditions.add(condition(wf, COND_FAILED, phase == Phase.Failed, reason, message, now));
    conditions.add(condition(wf, COND_RUNNING, phase == Phase.Started, reason, message, now));
    String progress = executed.size() + "/" + (wf.spec() == null ? 0 : wf.spec().steps().size());
    return new WorkflowStatus(phase, changed, message, progress, hash, wf.generation(),
        executed, started, steps, conditions, prev == null ? null : prev.rerunToken(),
        prev == null ? 0 : prev.reruns());
  }

  private static Condition condition(Workflow wf, String type, boolean on, String reason,
      String message, Instant now) {
    String status = on ? "True" : "False";
    String since = format(now);
    if (wf.status() != null) {
      for (Condition c : wf.status().conditions()) {
        if (type.equals(c.type()) && status.equals(c.status()) && c.lastTransitionTime() != null) {
          since = c.lastTransitionTime();
        }
      }
    }
    return new Condition(type, status, on ? reason : "Not" + type, on ? message : "", since,
        wf.generation());
  }

  /**
   * The pod's waiting story in a running step's message ("attempt 2 of 3; ImagePullBackOff: ..."),
   * or null when the message is only the attempt count or empty.
   */
  static String podWait(String stepMessage) {
    if (stepMessage == null) {
      return null;
    }
    String rest = stepMessage.replaceFirst("^attempt \\d+ of \\d+(; )?", "");
    return rest.isBlank() ? null : rest;
  }

  private static List<String> names(List<StepStatus> steps, StepState state) {
    return steps.stream().filter(s -> s.state() == state).map(StepStatus::name).toList();
  }

  private static String listed(List<String> names) {
    if (names.size() <= MAX_LISTED) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX_LISTED)) + " and " + (names.size() - MAX_LISTED)
        + " more";
  }

  /** RFC 3339 UTC, second precision; null stays null. */
  public static String format(Instant t) {
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }
}
