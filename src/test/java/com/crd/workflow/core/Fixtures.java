package com.crd.workflow.core;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.PatchJobLabels;
import com.crd.workflow.core.Action.PatchStatus;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builders for planner tests, and a tiny in-memory world that applies plans. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static Step step(String name, String... deps) {
    return new Step(name, "busybox:1.36", List.of("sh", "-c", "echo " + name), Arrays.asList(deps));
  }

  static WorkflowSpec spec(Step... steps) {
    return new WorkflowSpec(60, Arrays.asList(steps));
  }

  static Workflow wf(WorkflowSpec spec) {
    return wf(spec, Map.of());
  }

  static Workflow wf(WorkflowSpec spec, Map<String, String> labels) {
    return new Workflow("ns", "demo", "uid-1", labels, 1, "1", false, spec, null, null);
  }

  static Workflow withStatus(Workflow w, WorkflowStatus status) {
    return new Workflow(w.namespace(), w.name(), w.uid(), w.labels(), w.generation(),
        w.resourceVersion(), w.deleting(), w.spec(), w.specError(), status);
  }

  static Workflow withSpec(Workflow w, WorkflowSpec spec) {
    return new Workflow(w.namespace(), w.name(), w.uid(), w.labels(), w.generation() + 1,
        w.resourceVersion(), w.deleting(), spec, null, w.status());
  }

  static Workflow withLabels(Workflow w, Map<String, String> labels) {
    return new Workflow(w.namespace(), w.name(), w.uid(), labels, w.generation(),
        w.resourceVersion(), w.deleting(), w.spec(), w.specError(), w.status());
  }

  static ObservedJob job(Workflow w, String step, JobPhase phase) {
    return job(w, step, phase, null, T0);
  }

  static ObservedJob job(Workflow w, String step, JobPhase phase, String reason, Instant started) {
    String hash = Names.specHash(w.spec());
    return new ObservedJob(w.namespace(), Names.jobName(w.name(), w.uid(), step, hash),
        Names.jobLabels(w, step, hash), Names.propagatedKeys(w), phase, reason, started, started,
        phase == JobPhase.RUNNING ? null : started.plusSeconds(1), false, w.name());
  }

  static List<String> created(Plan p) {
    return p.actions().stream().filter(a -> a instanceof CreateJob)
        .map(a -> ((CreateJob) a).step().stepName()).sorted().toList();
  }

  static List<String> deleted(Plan p) {
    return p.actions().stream().filter(a -> a instanceof DeleteJob)
        .map(a -> ((DeleteJob) a).jobName()).sorted().toList();
  }

  static List<PatchJobLabels> relabels(Plan p) {
    return p.actions().stream().filter(a -> a instanceof PatchJobLabels)
        .map(a -> (PatchJobLabels) a).toList();
  }

  static PatchStatus statusPatch(Plan p) {
    return p.actions().stream().filter(a -> a instanceof PatchStatus)
        .map(a -> (PatchStatus) a).findFirst().orElse(null);
  }

  /** The world the planner sees: one workflow and its Jobs. Applying a plan mutates it. */
  static final class World {
    Workflow workflow;
    final Map<String, ObservedJob> jobs = new TreeMap<>();

    World(Workflow workflow) {
      this.workflow = workflow;
    }

    Phase phase() {
      return workflow.status() == null ? Phase.Created : workflow.status().phase();
    }

    List<ObservedJob> jobs() {
      return new ArrayList<>(jobs.values());
    }

    Plan plan(Instant now) {
      return Planner.plan(workflow, jobs(), now);
    }

    void apply(Plan plan, Instant now) {
      for (Action a : plan.actions()) {
        if (a instanceof DeleteJob d) {
          jobs.remove(d.jobName());
        } else if (a instanceof CreateJob c) {
          if (jobs.containsKey(c.jobName())) {
            throw new AssertionError("second Job for " + c.jobName());
          }
          jobs.put(c.jobName(), new ObservedJob(c.namespace(), c.jobName(), c.labels(),
              c.propagatedLabels(), JobPhase.RUNNING, null, now, null, null, false, c.workflowName()));
        } else if (a instanceof PatchJobLabels l) {
          ObservedJob j = jobs.get(l.jobName());
          Map<String, String> labels = new TreeMap<>(j.labels());
          l.remove().forEach(labels::remove);
          labels.putAll(l.set()); // merge-patch semantics, as the API server applies it
          jobs.put(j.name(), new ObservedJob(j.namespace(), j.name(), labels, l.propagatedLabels(),
              j.phase(), j.reason(), j.creationTime(), j.startTime(), j.finishTime(), j.deleting(),
              j.workflowName()));
        } else if (a instanceof PatchStatus s) {
          workflow = withStatus(workflow, s.status());
        }
      }
    }

    void finish(String jobName, JobPhase phase, String reason, Instant at) {
      ObservedJob j = jobs.get(jobName);
      jobs.put(jobName, new ObservedJob(j.namespace(), j.name(), j.labels(), j.propagatedLabels(),
          phase, reason,
          j.creationTime(), j.creationTime(), at, false, j.workflowName()));
    }
  }
}
