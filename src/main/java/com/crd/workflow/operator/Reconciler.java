package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.kube.Applier;
import com.crd.workflow.metrics.Metrics;
import com.crd.workflow.observe.Mirror;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One tick: take the observation from the mirror, plan, apply. A full tick plans every workflow;
 * the others plan what changed since the last tick and what asked to be looked at by now. Nothing
 * decided here outlives a tick except "when to look again", which the next full tick recomputes.
 */
public final class Reconciler {
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final Mirror mirror;
  private final BooleanSupplier synced;
  private final Applier applier;
  private final Metrics metrics;
  private final Clock clock;
  private final Consumer<Duration> wakeIn;
  /** owner key to when the planner (or a failed action) asked to look again. */
  private final Map<String, Instant> timers = new HashMap<>();
  private volatile long lastSuccessNanos;
  private volatile String lastError = "no tick has run yet";

  public Reconciler(Mirror mirror, BooleanSupplier synced, Applier applier, Metrics metrics,
      Clock clock, Consumer<Duration> wakeIn) {
    this.mirror = mirror;
    this.synced = synced;
    this.applier = applier;
    this.metrics = metrics;
    this.clock = clock;
    this.wakeIn = wakeIn;
  }

  public long lastSuccessNanos() {
    return lastSuccessNanos;
  }

  public String lastError() {
    return lastError;
  }

  /** Runs one tick; true unless an action failed. */
  public boolean tick(boolean full) {
    if (!synced.getAsBoolean()) {
      // Planning from half a mirror would take every Job of an unlisted workflow for an orphan.
      lastError = "waiting for the first list of workflows and jobs";
      return true;
    }
    long start = System.nanoTime();
    long cpuStart = CPU.getCurrentThreadCpuTime();
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    for (Iterator<Map.Entry<String, Instant>> it = timers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> t = it.next();
      if (full || !t.getValue().isAfter(now)) {
        due.add(t.getKey());
        it.remove();
      }
    }
    Mirror.Observation obs = mirror.take(full, due);
    List<Plan> plans = new ArrayList<>();
    Map<String, Workflow> byKey = new HashMap<>();
    List<String> errors = new ArrayList<>();
    for (Workflow wf : obs.workflows()) {
      byKey.put(wf.key(), wf);
      try {
        Plan p = Planner.plan(wf, obs.jobsOf(wf), now);
        plans.add(p);
        if (p.nextLook() != null) {
          timers.put(Mirror.owner(wf), p.nextLook());
        }
      } catch (RuntimeException e) { // an object no real API server would return: skip only it
        errors.add(wf.key() + ": cannot plan: " + e);
      }
    }
    Planner.sweep(List.of(), obs.orphans()).ifPresent(plans::add);
    Applier.Result applied = applier.apply(plans, byKey);
    errors.addAll(applied.errors());
    applied.carriedOut().forEach((kind, n) -> metrics.actions(kind, n));
    java.util.Set<String> again = new java.util.HashSet<>(applied.failedWorkflows());
    again.addAll(applied.deferredWorkflows());
    if (!again.isEmpty()) {
      // Transient failures and deferred status writes: look at these again soon (after the
      // loop's back-off), not at the period.
      Instant retry = now.plus(RETRY);
      for (String key : again) {
        Workflow wf = byKey.get(key);
        if (wf != null) {
          timers.put(Mirror.owner(wf), retry);
        }
      }
    }
    timers.values().stream().min(Instant::compareTo)
        .ifPresent(t -> wakeIn.accept(Duration.between(clock.instant(), t)));
    errors.forEach(e -> Log.warn("action failed, retrying", "error", e));
    boolean ok = errors.isEmpty();
    lastError = ok ? null : errors.get(0);
    if (ok) {
      lastSuccessNanos = System.nanoTime();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.tick(seconds, ok);
    if (!plans.isEmpty() || full) {
      Log.debug("tick", "full", full, "planned", plans.size(), "workflows", obs.totalWorkflows(),
          "jobs", obs.totalJobs(), "actions", applied.actions(), "wallMs", seconds * 1000,
          "cpuMs", (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }
    return ok;
  }
}
