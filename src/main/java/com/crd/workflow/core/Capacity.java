package com.crd.workflow.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The operator-wide cap on running step Jobs ({@code --max-running-steps}), decided from what is
 * observed: no counter survives a tick, so a restart or a second replica decides the same.
 */
public final class Capacity {
  private Capacity() {}

  /**
   * How many new steps each workflow (by {@link Workflow#key}) may start this tick. The free
   * slots are the cap minus every active managed Job (queued Jobs hold no slot: their queue
   * decides when they run). Slots go one at a time to the workflow that has the fewest active
   * Jobs counting those already given, the oldest first on a tie, and only to workflows with a
   * ready step: a big workflow cannot take every slot while a small one waits.
   */
  public static Map<String, Integer> mayStart(Collection<Workflow> workflows,
      Collection<ObservedJob> jobs, Instant now, int maxRunning) {
    Map<String, List<ObservedJob>> byOwner = Planner.byOwner(jobs);
    long active = jobs.stream().filter(ObservedJob::active).count();
    long free = Math.max(0, maxRunning - active);
    record Claim(Workflow wf, int wants, long[] held, int[] given) {}
    Comparator<Claim> order = Comparator.<Claim>comparingLong(c -> c.held()[0])
        .thenComparing(c -> c.wf().createdAt(), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(c -> c.wf().key());
    PriorityQueue<Claim> queue = new PriorityQueue<>(order);
    Map<String, Integer> out = new HashMap<>();
    List<Claim> claims = new ArrayList<>();
    for (Workflow wf : workflows) {
      out.put(wf.key(), 0);
      List<ObservedJob> own = Planner.jobsOf(wf, byOwner);
      int wants;
      try {
        wants = free == 0 ? 0 : Planner.wantsToStart(wf, own, now);
      } catch (RuntimeException e) { // an object no API server would return: planning skips it too
        wants = 0;
      }
      if (wants > 0) {
        Claim c = new Claim(wf, wants, new long[] {own.stream().filter(ObservedJob::active).count()},
            new int[] {0});
        claims.add(c);
        queue.add(c);
      }
    }
    while (free > 0 && !queue.isEmpty()) {
      Claim c = queue.poll();
      c.given()[0]++;
      c.held()[0]++;
      free--;
      if (c.given()[0] < c.wants()) {
        queue.add(c);
      }
    }
    claims.forEach(c -> out.put(c.wf().key(), c.given()[0]));
    return out;
  }
}
