package com.crd.workflow.bench;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code make bench}: how long the pure planning part of one tick takes for a cluster of a given
 * size (workflows x steps, about half the steps with a Job). Prints numbers; asserts nothing.
 * The API calls of a tick cost far more; this bounds what the operator adds on top.
 */
public final class PlannerBench {
  private PlannerBench() {}

  public static void main(String[] args) {
    int[][] sizes = {{100, 10}, {1000, 10}, {200, 100}, {5000, 10}};
    System.out.printf("%-10s %-6s %-8s %12s %14s%n", "workflows", "steps", "jobs", "ms/tick", "µs/workflow");
    for (int[] size : sizes) {
      run(size[0], size[1]);
    }
  }

  /** The planning a tick does (as the reconciler does it): each workflow, then the sweep. */
  static List<Plan> planTick(List<Workflow> wfs, List<ObservedJob> jobs, Instant now) {
    Map<String, List<ObservedJob>> byOwner = Planner.byOwner(jobs);
    List<Plan> plans = new ArrayList<>();
    for (Workflow wf : wfs) {
      plans.add(Planner.plan(wf, Planner.jobsOf(wf, byOwner), now));
    }
    Planner.sweep(wfs, jobs).ifPresent(plans::add);
    return plans;
  }

  static void run(int workflows, int steps) {
    Random r = new Random(7);
    Instant now = Instant.parse("2026-01-01T00:10:00Z");
    List<Workflow> wfs = new ArrayList<>();
    List<ObservedJob> jobs = new ArrayList<>();
    for (int w = 0; w < workflows; w++) {
      List<Step> list = new ArrayList<>();
      for (int s = 0; s < steps; s++) {
        list.add(new Step("s" + s, "busybox:1.36", List.of("sh", "-c", "true"),
            s == 0 ? List.of() : List.of("s" + (s - 1))));
      }
      Workflow wf = new Workflow("ns", "wf-" + w, "uid-" + w, Map.of("team", "t"), 1, "1", false,
          new WorkflowSpec(600, list), null, null);
      wfs.add(wf);
      String hash = Names.specHash(wf.spec());
      int done = r.nextInt(steps + 1);
      for (int s = 0; s < done; s++) {
        String step = "s" + s;
        jobs.add(new ObservedJob("ns", Names.jobName(wf.name(), wf.uid(), step, hash),
            Names.jobLabels(wf, step, hash), Names.propagatedKeys(wf),
            s < done - 1 ? JobPhase.SUCCEEDED : JobPhase.RUNNING, null, now, now, null, false, wf.name()));
      }
    }
    long sink = 0;
    for (int i = 0; i < 20; i++) { // warm-up: let the JIT compile the planner
      sink += planTick(wfs, jobs, now).size();
    }
    int rounds = 20;
    long start = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      List<Plan> plans = planTick(wfs, jobs, now);
      sink += plans.size();
    }
    double ms = (System.nanoTime() - start) / 1e6 / rounds;
    System.out.printf("%-10d %-6d %-8d %12.1f %14.1f%n", workflows, steps, jobs.size(), ms,
        ms * 1000 / workflows);
    if (sink == 42) {
      System.out.println(); // keeps the JIT from discarding the work
    }
  }
}
