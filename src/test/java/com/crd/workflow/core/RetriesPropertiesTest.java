package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Retries under random Job outcomes and random clocks, many seeded cases. */
class RetriesPropertiesTest {
  @Test
  @DisplayName("a step never has two live attempts, never more than limit + 1, and none before its backoff")
  void retriesKeepTheirPromises() {
    long base = new Random().nextLong();
    for (int c = 0; c < 400; c++) {
      long seed = base + c;
      Random rnd = new Random(seed);
      try {
        runCase(rnd);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private static void runCase(Random rnd) {
    int n = 1 + rnd.nextInt(4);
    List<Step> steps = new ArrayList<>();
    Map<String, Retries> retries = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String name = "s" + i;
      Retries r = rnd.nextInt(4) == 0 ? null
          : new Retries(rnd.nextInt(4), 1 + rnd.nextInt(20), 1 + rnd.nextInt(3), 1 + rnd.nextInt(40));
      List<String> deps = i > 0 && rnd.nextBoolean() ? List.of("s" + rnd.nextInt(i)) : List.of();
      steps.add(new Step(name, "busybox", List.of("true"), deps, Map.of(), r));
      retries.put(name, r);
    }
    Long parallelism = rnd.nextBoolean() ? null : (long) (1 + rnd.nextInt(2));
    World world = new World(wf(new WorkflowSpec(-1, steps, Map.of(), Map.of(), parallelism, null)));
    Instant now = T0;
    Map<String, Integer> attempts = new HashMap<>();
    Map<String, Instant> lastFailed = new HashMap<>();
    Map<String, Integer> lastFailedAttempt = new HashMap<>();
    for (int tick = 0; tick < 120 && !world.phase().isFinal(); tick++) {
      Plan p = world.plan(now);
      for (Action a : p.actions()) {
        if (a instanceof CreateJob create) {
          String step = create.step().stepName();
          int attempt = attempts.merge(step, 1, Integer::sum);
          String label = create.labels().get(Names.LABEL_ATTEMPT);
          assertEquals(attempt, label == null ? 1 : Integer.parseInt(label), "attempts are numbered in order");
          Retries r = retries.get(step);
          assertTrue(attempt <= (r == null ? 1 : r.attempts()), step + " made attempt " + attempt);
          long live = world.jobs().stream().filter(j -> step.equals(j.step()) && j.phase() == JobPhase.RUNNING).count();
          assertEquals(0, live, step + " got a second live attempt");
          if (attempt > 1) {
            Instant earliest = r.nextAttemptAt(lastFailed.get(step), lastFailedAttempt.get(step));
            assertFalse(now.isBefore(earliest), step + " attempt " + attempt + " at " + now + " before " + earliest);
          }
        }
      }
      world.apply(p, now);
      assertNotNull(world.workflow.status());
      // Pending backoffs must be honoured on time: the plan asks to look again no later than them.
      Instant look = p.nextLook();
      now = now.plusSeconds(rnd.nextInt(12));
      if (look != null && rnd.nextBoolean() && look.isAfter(now)) {
        now = look; // wake exactly when asked
      }
      for (ObservedJob j : world.jobs()) {
        if (j.phase() == JobPhase.RUNNING && rnd.nextInt(3) == 0) {
          int roll = rnd.nextInt(10);
          JobPhase phase = roll < 6 ? JobPhase.FAILED : JobPhase.SUCCEEDED;
          String reason = phase == JobPhase.SUCCEEDED ? null : roll == 0 ? "PodFailurePolicy" : "BackoffLimitExceeded";
          world.finish(j.name(), phase, reason, now);
          if (phase == JobPhase.FAILED) {
            lastFailed.put(j.step(), now);
            lastFailedAttempt.put(j.step(), j.attempt());
          }
        }
      }
    }
  }
}
