package com.crd.workflow.core;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.PatchJobLabels;
import com.crd.workflow.core.Action.PatchStatus;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The functional core: from one Workflow and the Jobs observed for it, the status it should have
 * and the actions that move the world there. Reads no clock, makes no call.
 */
public final class Planner {
  private Planner() {}

  /** The Jobs carrying this workflow's uid, from Jobs grouped by "namespace/uid". */
  public static List<ObservedJob> jobsOf(Workflow wf, Map<String, List<ObservedJob>> byOwner) {
    return byOwner.getOrDefault(wf.namespace() + "/" + wf.uid(), List.of());
  }

  public static Map<String, List<ObservedJob>> byOwner(Collection<ObservedJob> jobs) {
    Map<String, List<ObservedJob>> byOwner = new TreeMap<>();
    for (ObservedJob j : jobs) {
      byOwner.computeIfAbsent(j.namespace() + "/" + j.workflowUid(), k -> new ArrayList<>()).add(j);
    }
    return byOwner;
  }

  /**
   * Deletes managed Jobs whose workflow no longer exists. A Job without the operator's labels is
   * never touched, whatever a server's label filtering let through.
   */
  public static java.util.Optional<Plan> sweep(Collection<Workflow> workflows,
      Collection<ObservedJob> jobs) {
    Set<String> owners = new HashSet<>();
    workflows.forEach(wf -> owners.add(wf.namespace() + "/" + wf.uid()));
    List<Action> orphans = new ArrayList<>();
    for (ObservedJob j : jobs) {
      boolean managed = Names.MANAGER.equals(j.labels().get(Names.LABEL_MANAGED_BY))
          && j.workflowUid() != null;
      if (managed && !owners.contains(j.namespace() + "/" + j.workflowUid()) && !j.deleting()) {
        orphans.add(new DeleteJob(j.namespace(), j.name(), "its workflow no longer exists",
            j.workflowUid(), j.workflowName()));
      }
    }
    return orphans.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of(new Plan("(orphans)", null, orphans));
  }

  /** Plans one workflow; {@code jobs} are the managed Jobs carrying its uid. */
  public static Plan plan(Workflow wf, List<ObservedJob> jobs, Instant now) {
    return plan(wf, jobs, now, Integer.MAX_VALUE);
  }

  public static Plan plan(Workflow wf, List<ObservedJob> jobs, Instant now, int mayStart) {
    return plan(wf, jobs, now, mayStart, null);
  }

  /**
   * Plans one workflow that may start at most {@code mayStart} new steps this tick (its share of
   * a global cap, see {@link Capacity}); its own {@code spec.parallelism} applies as well.
   */
  public static Plan plan(Workflow wf, List<ObservedJob> jobs, Instant now, int mayStart,
      Long defaultTtlSeconds) {
    if (wf.deleting()) {
      return new Plan(wf.key(), wf.status(), List.of()); // garbage collection takes it from here
    }
    WorkflowStatus prev = wf.status();
    boolean prevFinal = prev != null && prev.phase() != null && prev.phase().isFinal();
    // Final for this very generation: the status was computed from this spec, so its hash and
    // verdict stand, and only the Jobs need a look. This keeps finished workflows cheap.
    boolean settled = prevFinal && wf.specError() == null && prev.specHash() != null
        && wf.generation() > 0 && prev.observedGeneration() == wf.generation();
    List<String> problems = settled ? List.of() : wf.specError() != null
        ? List.of(wf.specError()) : Validation.problems(wf.spec());
    String hash = settled ? prev.specHash() : wf.specError() != null
        ? Names.errorHash(wf.specError()) : Names.specHash(wf.spec());
    boolean valid = problems.isEmpty();
    WorkflowStatus observed = prev;
    boolean rerun = Reruns.due(wf, valid, hash);
    if (rerun) {
      wf = Reruns.start(wf);
      prev = wf.status();
      prevFinal = false;
    }
    Set<String> stepNames = new HashSet<>();
    if (valid) {
      wf.spec().steps().forEach(s -> stepNames.add(s.stepName()));
    }

    List<Action> actions = new ArrayList<>();
    Map<String, List<ObservedJob>> attempts = new TreeMap<>();
    Map<String, String> labels = jobs.isEmpty() ? Map.of() : Names.jobLabels(wf, "", hash);
    List<String> propagated = jobs.isEmpty() ? List.of() : Names.propagatedKeys(wf);
    for (ObservedJob j : jobs.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
      boolean ours = valid && hash.equals(j.specHash()) && stepNames.contains(j.step());
      if (!ours) {
        if (!j.deleting()) {
          actions.add(new DeleteJob(j.namespace(), j.name(), "it belongs to a previous spec", null));
        }
      } else {
        attempts.computeIfAbsent(j.step(), k -> new ArrayList<>()).add(j);
        relabel(j, labels, propagated).ifPresent(actions::add);
      }
    }
    Map<String, ObservedJob> current = new TreeMap<>();
    int run = prev == null ? 0 : prev.reruns();
    attempts.forEach((step, js) -> {
      ObservedJob c = Reruns.current(js, run);
      if (c != null) {
        current.put(step, c);
      }
    });

    WorkflowStatus next;
    Instant[] retryAt = {null}; // the earliest backoff still running, filled in by progress
    if (prevFinal && hash.equals(prev.specHash())) {
      next = prev.withObservedGeneration(wf.generation()); // final for this spec
    } else if (prevFinal && prev.specHash() == null) {
      // Finished before spec hashes were recorded (an earlier operator): adopt, never re-run.
      next = prev.withSpecHash(hash).withObservedGeneration(wf.generation());
    } else if (!valid) {
      next = Statuses.invalid(wf, hash, String.join("; ", problems), now);
    } else if (prev != null && prev.specHash() != null && !hash.equals(prev.specHash())) {
      // Delete now, create on the next tick: old Jobs go first, the new spec starts clean.
      next = Statuses.restarted(wf, hash, now);
    } else if (Deadlines.past(wf.spec(), prev, now)) {
      next = Statuses.deadlineExceeded(wf, hash, observed(wf, hash, current, now, new TreeMap<>())
          .values().stream().map(Deadlines::stopped).toList(), wf.spec().activeDeadlineSeconds(), now);
    } else {
      next = progress(wf, hash, current, now, actions, mayStart, retryAt);
    }
    actions.addAll(Deadlines.stragglers(next, attempts));
    if (!rerun && Reruns.asked(wf)) {
      next = next.withRerun(wf.rerunToken(), next.reruns()); // refused: the event says why
    }
    CleanUp.Due cleanUp = CleanUp.due(wf, next, attempts, defaultTtlSeconds, now);
    if (cleanUp.workflow() != null) {
      return new Plan(wf.key(), next, List.of(cleanUp.workflow())); // the rest goes with it
    }
    Set<String> deleting = new HashSet<>();
    actions.stream().filter(a -> a instanceof DeleteJob).forEach(a -> deleting.add(((DeleteJob) a).jobName()));
    cleanUp.jobs().stream().filter(d -> !deleting.contains(d.jobName())).forEach(actions::add);
    if (!next.equals(observed)) {
      actions.add(new PatchStatus(wf.namespace(), wf.name(), wf.uid(), wf.resourceVersion(), next,
          Events.between(observed, next)));
    }
    Instant look = nextLook(wf.spec(), next, current);
    if (!next.phase().isFinal()) {
      look = earliest(look, retryAt[0]);
      look = earliest(look, Deadlines.at(wf.spec(), next));
    }
    look = earliest(look, cleanUp.at());
    return new Plan(wf.key(), next, actions, look);
  }

  /**
   * The earliest moment a running step's timeout expires: no event announces it, so the loop
   * must wake for it. Null when nothing is timed.
   */
  static Instant nextLook(WorkflowSpec spec, WorkflowStatus status, Map<String, ObservedJob> current) {
    if (spec == null || spec.unlimited() || status.phase() == null || status.phase().isFinal()) {
      return null;
    }
    Instant earliest = null;
    for (ObservedJob j : current.values()) {
      if (j.phase() == JobPhase.RUNNING && j.runningSince() != null) {
        Instant at = deadline(spec, j).plusMillis(1);
        earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
      }
    }
    return earliest;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b != null && b.isBefore(a) ? b : a;
  }

  static Instant deadline(WorkflowSpec spec, ObservedJob j) {
    return j.runningSince().plusSeconds(spec.maxStepTimeout());
  }

  /**
   * The normal case: valid spec, status of this spec. Adds CreateJob actions for failed attempts
   * whose backoff has passed, then for ready steps in {@link #startOrder} order, as many as
   * parallelism and {@code mayStart} allow. {@code retryAt[0]} receives the earliest backoff that
   * has not passed yet.
   */
  private static WorkflowStatus progress(Workflow wf, String hash, Map<String, ObservedJob> current,
      Instant now, List<Action> actions, int mayStart, Instant[] retryAt) {
    WorkflowSpec spec = wf.spec();
    Map<String, Attempts.Seen> seen = new TreeMap<>();
    Map<String, StepStatus> steps = observed(wf, hash, current, now, seen);
    boolean anyFailed = steps.values().stream().anyMatch(s -> s.state() == StepState.Failed);
    if (anyFailed) {
      // The workflow failed: nothing new starts, and running Jobs are left to finish.
      steps.replaceAll((n, st) -> skipped(st));
      return Statuses.of(wf, hash, List.copyOf(steps.values()), now);
    }
    long capLeft = mayStart;
    List<Step> order = startOrder(spec);
    for (Step s : order) {
      Attempts.Seen a = seen.get(s.stepName());
      if (a.retryAt() == null || steps.get(s.stepName()).state() != StepState.Retrying) {
        continue;
      }
      if (now.isBefore(a.retryAt()) || capLeft <= 0) {
        if (now.isBefore(a.retryAt()) && (retryAt[0] == null || a.retryAt().isBefore(retryAt[0]))) {
          retryAt[0] = a.retryAt();
        }
        continue;
      }
      // The step already holds its parallelism slot: its retry waits only for the global cap.
      int attempt = a.attempt() + 1;
      CreateJob create = createJob(wf, s, hash, attempt);
      actions.add(create);
      capLeft--;
      Retries r = spec.retriesOf(s);
      steps.put(s.stepName(), new StepStatus(s.stepName(),
          spec.queueName() != null ? StepState.Queued : StepState.Running, create.jobName(),
          spec.queueName() != null ? queuedMessage(spec) : "attempt " + attempt + " of "
              + r.attempts(), null, null, attempt));
    }
    // A queued Job holds its slot here: once a queue admits it, it runs, and parallelism is a
    // promise about what runs at once. So does a step waiting for its retry.
    long inFlight = steps.values().stream().filter(s -> s.state() == StepState.Running
        || s.state() == StepState.Queued || s.state() == StepState.Retrying).count();
    long slots = spec.parallelism() == null ? Long.MAX_VALUE : spec.parallelism() - inFlight;
    slots = Math.min(slots, capLeft);
    for (Step s : order) {
      if (slots <= 0) {
        break;
      }
      boolean ready = steps.get(s.stepName()).state() == StepState.Waiting
          && s.dependsOn().stream().allMatch(d -> steps.get(d).state() == StepState.Succeeded);
      if (ready) {
        CreateJob create = createJob(wf, s, hash);
        actions.add(create);
        slots--;
        Retries r = spec.retriesOf(s);
        steps.put(s.stepName(), new StepStatus(s.stepName(),
            spec.queueName() != null ? StepState.Queued : StepState.Running, create.jobName(),
            spec.queueName() != null ? queuedMessage(spec) : null, null, null,
            r != null && r.limit() > 0 ? 1 : null));
      }
    }
    return Statuses.of(wf, hash, List.copyOf(steps.values()), now);
  }

  /** Each step as its latest Job (or, for a Job cleaned away, the status) shows it, by name. */
  private static Map<String, StepStatus> observed(Workflow wf, String hash,
      Map<String, ObservedJob> current, Instant now, Map<String, Attempts.Seen> seen) {
    WorkflowSpec spec = wf.spec();
    Map<String, StepStatus> before = new TreeMap<>();
    if (wf.status() != null && hash.equals(wf.status().specHash())) {
      wf.status().steps().forEach(st -> before.put(st.name(), st));
    }
    Map<String, StepStatus> steps = new TreeMap<>();
    for (Step s : spec.steps()) {
      Attempts.Seen a = Attempts.observe(s, current.get(s.stepName()), before.get(s.stepName()),
          spec, now);
      seen.put(s.stepName(), a);
      StepStatus st = a.status();
      steps.put(s.stepName(), st.state() == StepState.Waiting ? remembered(before, st) : st);
    }
    return steps;
  }

  /**
   * A step's state once its workflow failed: one that had not started never will, and one
   * waiting for a retry gets none; the rest are as observed.
   */
  private static StepStatus skipped(StepStatus st) {
    return switch (st.state()) {
      case Waiting -> new StepStatus(st.name(), StepState.Skipped, null,
          "not run: the workflow failed", null, null, st.attempts());
      case Retrying -> new StepStatus(st.name(), StepState.Failed, st.job(),
          st.message().replaceFirst("; next attempt at .*$", "; not retried: the workflow failed"),
          st.startedAt(), st.finishedAt(), st.attempts());
      case Queued, Running, Succeeded, Failed, Skipped -> st;
    };
  }

  /**
   * The order in which ready steps start when not all may: by wave (a step's wave is one more
   * than its latest dependency's, roots are wave 1), then by name.
   */
  public static List<Step> startOrder(WorkflowSpec spec) {
    Map<String, Step> byName = new TreeMap<>();
    spec.steps().forEach(s -> byName.put(s.stepName(), s));
    List<Step> ordered = new ArrayList<>();
    for (List<String> wave : Waves.of(spec)) {
      wave.forEach(n -> ordered.add(byName.get(n)));
    }
    return ordered;
  }

  /** How many steps the workflow would start now if nothing but its own parallelism limited it. */
  public static int wantsToStart(Workflow wf, List<ObservedJob> jobs, Instant now) {
    return (int) plan(wf, jobs, now).actions().stream().filter(a -> a instanceof CreateJob).count();
  }

  static String queuedMessage(WorkflowSpec spec) {
    return "queued in " + spec.queueName() + ", waiting for admission";
  }

  /**
   * A step whose Job is gone (a TTL controller, a clean-up) but that this spec's status already
   * records as succeeded stays succeeded: its work is done and must not run twice.
   */
  private static StepStatus remembered(Map<String, StepStatus> before, StepStatus waiting) {
    StepStatus was = before.get(waiting.name()); // the status of this very spec, by step name
    return was != null && was.state() == StepState.Succeeded ? was : waiting;
  }

  public static CreateJob createJob(Workflow wf, Step s, String hash) {
    return createJob(wf, s, hash, 1);
  }

  /** The Job of one attempt of a step; attempts after the first carry their number as a label. */
  public static CreateJob createJob(Workflow wf, Step s, String hash, int attempt) {
    WorkflowSpec spec = wf.spec();
    long timeout = spec.maxStepTimeout();
    Map<String, String> labels = Names.jobLabels(wf, s.stepName(), hash);
    int run = wf.status() == null ? 0 : wf.status().reruns();
    if (attempt > 1 || run > 0) {
      labels = new TreeMap<>(labels);
      if (attempt > 1) {
        labels.put(Names.LABEL_ATTEMPT, String.valueOf(attempt));
      }
      if (run > 0) {
        labels.put(Names.LABEL_RUN, String.valueOf(run));
      }
    }
    return new CreateJob(wf.namespace(),
        Names.jobName(wf.name(), wf.uid(), s.stepName(), hash, attempt, run),
        wf.name(), wf.uid(), hash, s, labels,
        Names.propagatedKeys(wf), timeout == WorkflowSpec.UNLIMITED ? null : timeout,
        spec.containerOf(s), spec.podTemplate(), spec.queueName() != null, spec.retriesOf(s));
  }

  /**
   * @param labels the workflow's desired Job labels, but for the step label (each Job's own)
   * @param propagated the workflow label keys a Job should record as copied from it
   */
  private static java.util.Optional<Action> relabel(ObservedJob j, Map<String, String> labels,
      List<String> propagated) {
    Map<String, String> set = new TreeMap<>();
    labels.forEach((k, v) -> {
      if (!k.equals(Names.LABEL_STEP) && !v.equals(j.labels().get(k))) {
        set.put(k, v);
      }
    });
    // Only keys the workflow put there may go: a label added by someone else is left alone.
    List<String> remove = j.propagatedLabels().stream()
        .filter(k -> !labels.containsKey(k) && j.labels().containsKey(k)).sorted().toList();
    if (set.isEmpty() && remove.isEmpty() && propagated.equals(j.propagatedLabels())) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new PatchJobLabels(j.namespace(), j.name(), set, remove, propagated));
  }
}
