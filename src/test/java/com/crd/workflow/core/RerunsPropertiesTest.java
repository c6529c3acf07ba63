package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Re-runs under random DAGs and random Job outcomes: each time the workflow fails it is re-run
 * (up to 4 times). Failure messages carry the seed: {@code new Random(seed)} replays the case.
 */
class RerunsPropertiesTest {
  static final int CASES = 500;

  @Test
  @DisplayName("across re-runs a succeeded step never gets a second Job, no step has two live Jobs,"
      + " and plan-apply-plan changes nothing")
  void rerunsKeepTheirPromises() {
    int rerunThenCompleted = 0;
    for (long seed = 0; seed < CASES; seed++) {
      Random r = new Random(seed);
      World world = new World(wf(PlannerPropertiesTest.randomDag(r)));
      Instant now = T0;
      int reruns = 0;
      for (int tick = 0; tick < 600; tick++) {
        now = now.plusSeconds(r.nextInt(5));
        if (world.phase() == Phase.Failed && reruns < 4) {
          reruns++;
          RerunsTest.annotate(world, "token-" + reruns);
        }
        Plan plan = world.plan(now);
        for (Action a : plan.actions()) {
          if (a instanceof CreateJob c) {
            String step = c.step().stepName();
            assertFalse(world.jobs().stream().anyMatch(j -> step.equals(j.step())
                && j.phase() == JobPhase.SUCCEEDED), "seed " + seed + ": " + step + " ran again");
            assertFalse(world.jobs().stream().anyMatch(j -> step.equals(j.step())
                && j.phase() == JobPhase.RUNNING && !j.deleting()),
                "seed " + seed + ": a second live Job for " + step);
          }
        }
        World copy = new World(world.workflow);
        copy.jobs.putAll(world.jobs);
        copy.apply(plan, now);
        Plan again = copy.plan(now);
        for (Action a : again.actions()) {
          assertFalse(a instanceof CreateJob || a instanceof DeleteJob, "seed " + seed + ": second plan acted: " + a);
        }
        assertEquals(plan.status(), again.status(), "seed " + seed);
        world.apply(plan, now);
        if (world.phase() == Phase.Completed || world.phase() == Phase.Failed && reruns >= 4) {
          break;
        }
        for (ObservedJob j : world.jobs()) {
          if (j.phase() == JobPhase.RUNNING && r.nextInt(3) == 0) {
            boolean fail = r.nextDouble() < 0.15;
            world.finish(j.name(), fail ? JobPhase.FAILED : JobPhase.SUCCEEDED,
                fail ? "BackoffLimitExceeded" : null, now);
          }
        }
      }
      assertEquals(reruns, world.workflow.status().reruns(), "seed " + seed);
      if (reruns > 0 && world.phase() == Phase.Completed) {
        rerunThenCompleted++;
      }
    }
    assertTrue(rerunThenCompleted > CASES / 10, "the cases exercise re-runs that complete: " + rerunThenCompleted);
  }
}
