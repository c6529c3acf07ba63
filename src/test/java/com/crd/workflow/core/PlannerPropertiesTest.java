package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.PatchJobLabels;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Invariants over seeded random DAGs (up to the 100-step limit) and random Job outcomes. Every failure
 * message carries the seed: {@code new Random(seed)} replays the case. The properties share
 * nothing, so they run at once: this class is most of the suite's CPU time.
 */
@Execution(ExecutionMode.CONCURRENT)
class PlannerPropertiesTest {
  static final int CASES = 1500;

  static WorkflowSpec randomDag(Random r) {
    int n = 1 + (r.nextInt(10) == 0 ? r.nextInt(Validation.MAX_STEPS) : r.nextInt(25));
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Set<String> deps = new HashSet<>();
      int fanIn = i == 0 ? 0 : r.nextInt(Math.min(i, 4) + 1);
      for (int d = 0; d < fanIn; d++) {
        deps.add("s" + r.nextInt(i)); // only earlier steps: acyclic by construction
      }
      steps.add(new Step("s" + i, "img", List.of("true"), new ArrayList<>(deps)));
    }
    Collections.shuffle(steps, r);
    long timeout = r.nextInt(5) == 0 ? -1 : 1 + r.nextInt(120);
    return new WorkflowSpec(timeout, steps);
  }

  /** Runs random ticks: each running Job may succeed, fail, or keep running. */
  interface Check {
    void after(long seed, World world, Plan plan, Instant now);
  }

  static void simulate(long seed, double failRate, Check check) {
    Random r = new Random(seed);
    World world = new World(wf(randomDag(r)));
    Instant now = T0;
    for (int tick = 0; tick < 400; tick++) {
      now = now.plusSeconds(r.nextInt(5));
      Plan plan = world.plan(now);
      check.after(seed, world, plan, now);
      world.apply(plan, now);
      if (world.phase().isFinal()) {
        return;
      }
      for (ObservedJob j : world.jobs()) {
        if (j.phase() == JobPhase.RUNNING && r.nextInt(3) == 0) {
          boolean fail = r.nextDouble() < failRate;
          world.finish(j.name(), fail ? JobPhase.FAILED : JobPhase.SUCCEEDED,
              fail ? "BackoffLimitExceeded" : null, now);
        }
      }
    }
  }

  @Test
  void noStepEverGetsAJobBeforeAllItsDependenciesSucceeded() {
    for (long seed = 0; seed < CASES; seed++) {
      simulate(seed, 0.05, (s, world, plan, now) -> {
        for (Action a : plan.actions()) {
          if (a instanceof CreateJob c) {
            for (String dep : c.step().dependsOn()) {
              boolean ok = world.jobs().stream().anyMatch(j -> dep.equals(j.step())
                  && j.phase() == JobPhase.SUCCEEDED);
              assertTrue(ok, "seed " + s + ": " + c.step().stepName() + " before " + dep);
            }
          }
        }
      });
    }
  }

  @Test
  void noStepAndHashEverGetsASecondJob() {
    for (long seed = 0; seed < CASES; seed++) {
      Set<String> seen = new HashSet<>();
      long s0 = seed;
      simulate(seed, 0.05, (s, world, plan, now) -> {
        for (Action a : plan.actions()) {
          if (a instanceof CreateJob c) {
            assertTrue(seen.add(c.step().stepName() + "/" + c.specHash()),
                "seed " + s0 + ": second Job for " + c.step().stepName());
          }
        }
      });
    }
  }

  @Test
  void applyingAPlanThenPlanningAgainChangesNothing() {
    for (long seed = 0; seed < CASES; seed++) {
      simulate(seed, 0.1, (s, world, plan, now) -> {
        World copy = new World(world.workflow);
        copy.jobs.putAll(world.jobs);
        copy.apply(plan, now);
        Plan again = copy.plan(now);
        for (Action a : again.actions()) {
          assertFalse(a instanceof CreateJob || a instanceof DeleteJob || a instanceof PatchJobLabels,
              "seed " + s + ": second plan acted: " + a);
        }
        assertEquals(plan.status(), again.status(), "seed " + s);
      });
    }
  }

  @Test
  void finalStatesStayFinalWhateverTheJobsDoLater() {
    for (long seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed ^ 0x5eed);
      World world = new World(wf(randomDag(r)));
      Instant now = T0;
      for (int tick = 0; tick < 400 && !world.phase().isFinal(); tick++) {
        world.apply(world.plan(now), now);
        for (ObservedJob j : world.jobs()) {
          if (j.phase() == JobPhase.RUNNING) {
            boolean fail = r.nextInt(20) == 0;
            world.finish(j.name(), fail ? JobPhase.FAILED : JobPhase.SUCCEEDED, "Error", now);
          }
        }
        now = now.plusSeconds(1);
      }
      WorkflowStatus finalStatus = world.workflow.status();
      assertTrue(finalStatus.phase().isFinal(), "seed " + seed);
      for (ObservedJob j : world.jobs()) { // flip every outcome and let a year pass
        world.finish(j.name(), j.phase() == JobPhase.SUCCEEDED ? JobPhase.FAILED : JobPhase.SUCCEEDED,
            "Error", now);
      }
      Plan later = world.plan(now.plusSeconds(365L * 86400));
      assertEquals(finalStatus.phase(), later.status().phase(), "seed " + seed);
      assertEquals(List.of(), created(later), "seed " + seed);
    }
  }

  /**
   * With a parallelism limit, and half the time a Kueue queue that admits held Jobs at random: no
   * tick ever has more admitted running steps than the limit, and when every Job succeeds the
   * workflow completes.
   */
  @Test
  void withAParallelismLimitNoTickRunsMoreThanTheLimitAndEveryDagCompletes() {
    for (long seed = 0; seed < CASES / 3; seed++) { // a third: each case runs up to 3000 ticks
      Random r = new Random(seed);
      WorkflowSpec dag = randomDag(r);
      long limit = 1 + r.nextInt(4);
      String queue = r.nextBoolean() ? "team" : null;
      World world = new World(wf(new WorkflowSpec(-1, dag.steps(), Map.of(), Map.of(), limit, queue)));
      Instant now = T0;
      for (int tick = 0; tick < 3000 && !world.phase().isFinal(); tick++) {
        Set<String> before = new HashSet<>(world.jobs.keySet());
        world.apply(world.plan(now), now);
        if (queue != null) { // what Kueue's webhook does to a Job with a queue-name label
          for (String created : world.jobs.keySet()) {
            if (!before.contains(created)) {
              ObservedJob j = world.jobs.get(created);
              world.jobs.put(created, new ObservedJob(j.namespace(), j.name(), j.labels(), j.propagatedLabels(),
                  j.phase(), null, j.creationTime(), null, null, false, true, null));
            }
          }
        }
        long running = world.jobs().stream().filter(ObservedJob::active).count();
        assertTrue(running <= limit, "seed " + seed + ", tick " + tick + ": " + running + " running, limit " + limit);
        List<ObservedJob> held = world.jobs().stream().filter(ObservedJob::suspended).toList();
        if (!held.isEmpty() && r.nextBoolean()) { // Kueue admits one, whenever it likes
          ObservedJob j = held.get(r.nextInt(held.size()));
          world.jobs.put(j.name(), new ObservedJob(j.namespace(), j.name(), j.labels(), j.propagatedLabels(),
              j.phase(), null, j.creationTime(), now, null, false, false, now));
        }
        List<ObservedJob> active = world.jobs().stream().filter(ObservedJob::active).toList();
        if (!active.isEmpty() && r.nextBoolean()) {
          world.finish(active.get(r.nextInt(active.size())).name(), JobPhase.SUCCEEDED, null, now);
        }
        now = now.plusSeconds(1);
      }
      assertEquals(Phase.Completed, world.phase(), "seed " + seed);
      assertEquals(dag.steps().size(), world.jobs().size(), "seed " + seed);
    }
  }

  @Test
  void anyValidDagWhoseJobsAllSucceedInAnyOrderCompletes() {
    for (long seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed);
      WorkflowSpec spec = randomDag(r);
      World world = new World(wf(new WorkflowSpec(-1, spec.steps())));
      Instant now = T0;
      for (int tick = 0; tick < 2000 && !world.phase().isFinal(); tick++) {
        world.apply(world.plan(now), now);
        List<ObservedJob> running = world.jobs().stream()
            .filter(j -> j.phase() == JobPhase.RUNNING).toList();
        if (!running.isEmpty()) { // one Job at a time, in random order
          ObservedJob j = running.get(r.nextInt(running.size()));
          world.finish(j.name(), JobPhase.SUCCEEDED, null, now);
        }
        now = now.plusSeconds(1);
      }
      assertEquals(Phase.Completed, world.phase(), "seed " + seed);
      assertEquals(spec.steps().size(), world.jobs().size(), "seed " + seed);
    }
  }

  @Test
  void jobNamesAreValidShortAndCollisionFree() {
    Random r = new Random(42);
    Map<String, String> seen = new java.util.HashMap<>();
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-.";
    for (int i = 0; i < 200_000; i++) {
      int wfLen = 1 + r.nextInt(r.nextBoolean() ? 20 : 253);
      StringBuilder wfName = new StringBuilder("w");
      for (int k = 1; k < wfLen; k++) {
        wfName.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      StringBuilder step = new StringBuilder("s");
      for (int k = 1 + r.nextInt(63); k > 1; k--) {
        step.append(alphabet.charAt(r.nextInt(alphabet.length() - 1)));
      }
      String uid = "uid-" + r.nextInt(50);
      String hash = Long.toHexString(r.nextLong() & 0xfff);
      String input = wfName + "|" + uid + "|" + step + "|" + hash;
      String name = Names.jobName(wfName.toString(), uid, step.toString(), hash);
      assertTrue(Names.isDnsLabel(name), "invalid job name " + name + " for " + input);
      String previous = seen.put(name, input);
      assertTrue(previous == null || previous.equals(input),
          "collision: " + name + " for " + input + " and " + previous);
    }
  }
}
