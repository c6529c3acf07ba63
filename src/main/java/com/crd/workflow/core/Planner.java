package com.crd.workflow.core;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.PatchJobLabels;
import com.crd.workflow.core.Action.PatchStatus;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Duration;
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

  /** Plans every workflow and sweeps orphan Jobs; one Plan per workflow plus one for orphans. */
  public static List<Plan> planAll(
      Collection<Workflow> workflows, Collection<ObservedJob> jobs, Instant now) {
    Map<String, List<ObservedJob>> byOwner = new TreeMap<>();
    for (ObservedJob j : jobs) {
      byOwner.computeIfAbsent(j.namespace() + "/" + j.workflowUid(), k -> new ArrayList<>()).add(j);
    }
    List<Plan> plans = new ArrayList<>();
    Set<String> owners = new HashSet<>();
    for (Workflow wf : workflows) {
      String owner = wf.namespace() + "/" + wf.uid();
      owners.add(owner);
      plans.add(plan(wf, byOwner.getOrDefault(owner, List.of()), now));
    }
    List<Action> orphans = new ArrayList<>();
    for (ObservedJob j : jobs) {
      if (!owners.contains(j.namespace() + "/" + j.workflowUid()) && !j.deleting()) {
        orphans.add(new DeleteJob(j.namespace(), j.name(), "its workflow no longer exists"));
      }
    }
    if (!orphans.isEmpty()) {
      plans.add(new Plan("(orphans)", null, orphans));
    }
    return plans;
  }

  /** Plans one workflow; {@code jobs} are the managed Jobs carrying its uid. */
  public static Plan plan(Workflow wf, List<ObservedJob> jobs, Instant now) {
    if (wf.deleting()) {
      return new Plan(wf.key(), wf.status(), List.of()); // garbage collection takes it from here
    }
    List<String> problems = wf.specError() != null
        ? List.of(wf.specError()) : Validation.problems(wf.spec());
    String hash = wf.specError() != null ? Names.errorHash(wf.specError()) : Names.specHash(wf.spec());
    boolean valid = problems.isEmpty();
    Set<String> stepNames = new HashSet<>();
    if (valid) {
      wf.spec().steps().forEach(s -> stepNames.add(s.stepName()));
    }

    List<Action> actions = new ArrayList<>();
    Map<String, ObservedJob> current = new TreeMap<>();
    for (ObservedJob j : jobs.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
      boolean ours = valid && hash.equals(j.specHash()) && stepNames.contains(j.step());
      if (!ours) {
        if (!j.deleting()) {
          actions.add(new DeleteJob(j.namespace(), j.name(), "it belongs to a previous spec"));
        }
      } else if (current.putIfAbsent(j.step(), j) == null) {
        relabel(wf, j, hash).ifPresent(actions::add);
      }
    }

    WorkflowStatus prev = wf.status();
    WorkflowStatus next;
    if (prev != null && hash.equals(prev.specHash()) && prev.phase() != null && prev.phase().isFinal()) {
      next = prev.withObservedGeneration(wf.generation()); // final for this spec
    } else if (!valid) {
      next = Statuses.invalid(wf, hash, String.join("; ", problems), now);
    } else if (prev != null && prev.specHash() != null && !hash.equals(prev.specHash())) {
      // Delete now, create on the next tick: old Jobs go first, the new spec starts clean.
      next = Statuses.restarted(wf, hash, now);
    } else {
      next = progress(wf, hash, current, now, actions);
    }
    if (!next.equals(prev)) {
      actions.add(new PatchStatus(wf.namespace(), wf.name(), wf.uid(), wf.resourceVersion(), next,
          Events.between(prev, next)));
    }
    return new Plan(wf.key(), next, actions);
  }

  /** The normal case: valid spec, status of this spec. Adds CreateJob actions for ready steps. */
  private static WorkflowStatus progress(
      Workflow wf, String hash, Map<String, ObservedJob> current, Instant now, List<Action> actions) {
    WorkflowSpec spec = wf.spec();
    Map<String, StepStatus> steps = new TreeMap<>();
    for (Step s : spec.steps()) {
      steps.put(s.stepName(), observe(s.stepName(), current.get(s.stepName()), spec, now));
    }
    boolean anyFailed = steps.values().stream().anyMatch(s -> s.state() == StepState.Failed);
    if (!anyFailed) {
      for (Step s : spec.steps()) {
        boolean ready = steps.get(s.stepName()).state() == StepState.Waiting
            && s.dependsOn().stream().allMatch(d -> steps.get(d).state() == StepState.Succeeded);
        if (ready) {
          CreateJob create = createJob(wf, s, hash);
          actions.add(create);
          steps.put(s.stepName(),
              new StepStatus(s.stepName(), StepState.Running, create.jobName(), null, null, null));
        }
      }
    }
    return Statuses.of(wf, hash, List.copyOf(steps.values()), now);
  }

  private static StepStatus observe(String step, ObservedJob job, WorkflowSpec spec, Instant now) {
    if (job == null) {
      return new StepStatus(step, StepState.Waiting, null, null, null, null);
    }
    String started = Statuses.format(job.startTime());
    String finished = Statuses.format(job.finishTime());
    if (job.phase() == JobPhase.SUCCEEDED) {
      return new StepStatus(step, StepState.Succeeded, job.name(), null, started, finished);
    }
    if (job.phase() == JobPhase.FAILED) {
      String why = "DeadlineExceeded".equals(job.reason())
          ? timedOut(spec) : "failed: " + (job.reason() == null ? "unknown reason" : job.reason());
      return new StepStatus(step, StepState.Failed, job.name(), why, started, finished);
    }
    // A pod that never starts (bad image, no capacity) must not hold the workflow forever.
    if (!spec.unlimited() && job.runningSince() != null
        && Duration.between(job.runningSince(), now).getSeconds() > spec.maxStepTimeout()) {
      return new StepStatus(step, StepState.Failed, job.name(), timedOut(spec), started, null);
    }
    return new StepStatus(step, StepState.Running, job.name(), null, started, null);
  }

  private static String timedOut(WorkflowSpec spec) {
    return "timed out after " + spec.maxStepTimeout() + "s";
  }

  public static CreateJob createJob(Workflow wf, Step s, String hash) {
    long timeout = wf.spec().maxStepTimeout();
    return new CreateJob(wf.namespace(), Names.jobName(wf.name(), wf.uid(), s.stepName(), hash),
        wf.name(), wf.uid(), hash, s, Names.jobLabels(wf, s.stepName(), hash),
        timeout == WorkflowSpec.UNLIMITED ? null : timeout);
  }

  private static java.util.Optional<Action> relabel(Workflow wf, ObservedJob j, String hash) {
    Map<String, String> desired = Names.jobLabels(wf, j.step(), hash);
    if (desired.equals(j.labels())) {
      return java.util.Optional.empty();
    }
    List<String> remove = j.labels().keySet().stream()
        .filter(k -> !desired.containsKey(k)).sorted().toList();
    return java.util.Optional.of(new PatchJobLabels(j.namespace(), j.name(), desired, remove));
  }
}
