package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.core.Capacity;
import com.crd.workflow.core.ObservedJob;
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
  /** The cap on active step Jobs across all workflows; null = none. */
  private final Integer maxRunningSteps;
  /** --default-ttl in seconds, for finished workflows without ttlSecondsAfterFinished; null = keep. */
  private final Long defaultTtlSeconds;
  private volatile long lastSuccessNanos;
  private BooleanSupplier podsWatched = () -> false;
  private volatile String lastError = "no tick has run yet";
  // What the last tick listed, for the web view (read-only; replaced whole on each tick).

  public Reconciler(Mirror mirror, BooleanSupplier synced, Applier applier, Metrics metrics,
      Clock clock, Consumer<Duration> wakeIn) {
    this(mirror, synced, applier, metrics, clock, wakeIn, null, null);
  }

  /** @param maxRunningSteps the cap on active step Jobs across all workflows; null = none */
  public Reconciler(Mirror mirror, BooleanSupplier synced, Applier applier, Metrics metrics,
      Clock clock, Consumer<Duration> wakeIn, Integer maxRunningSteps, Long defaultTtlSeconds) {
    this.maxRunningSteps = maxRunningSteps;
    this.defaultTtlSeconds = defaultTtlSeconds;
    this.mirror = mirror;
    this.synced = synced;
    this.applier = applier;
    this.metrics = metrics;
    this.clock = clock;
    this.wakeIn = wakeIn;
  }

  /**
   * Tells the reconciler whether pods are being watched (listed and not forbidden): only then is
   * a failed Job's pod story worth waiting for, see {@link com.crd.workflow.core.PodGrace}.
   */
  public Reconciler watchingPods(BooleanSupplier podsWatched) {
    this.podsWatched = podsWatched;
    return this;
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
    Pass total = new Pass();
    if (full) {
      // The periodic sweep plans every workflow, a chunk at a time, each chunk read fresh from
      // the mirror; between chunks, whatever changed meanwhile goes first, so a sweep of 10,000
      // workflows never holds a dependent step back for longer than one chunk.
      List<String> owners = mirror.owners();
      for (int i = 0; i < owners.size(); i += CHUNK) {
        total.add(pass(mirror.takeOwners(owners.subList(i, Math.min(owners.size(), i + CHUNK)))));
        if (mirror.changed()) {
          total.add(pass(mirror.take(false, dueTimers())));
        }
      }
      total.add(pass(mirror.take(false, dueTimers())));
    } else {
      Mirror.Observation changed = mirror.take(false, dueTimers());
      if (maxRunningSteps != null && !changed.workflows().isEmpty()) {
        // A slot freed in one workflow may let another start: those waiting are not "changed".
        java.util.Set<String> owners = new java.util.TreeSet<>(mirror.unfinishedOwners());
        changed.workflows().forEach(wf -> owners.add(Mirror.owner(wf)));
        changed.orphans().forEach(j -> owners.add(Mirror.owner(j)));
        changed = mirror.takeOwners(owners);
      }
      total.add(pass(changed));
    }
    timers.values().stream().min(Instant::compareTo)
        .ifPresent(t -> wakeIn.accept(Duration.between(clock.instant(), t)));
    total.errors.forEach(e -> Log.warn("action failed, retrying", "error", e));
    boolean ok = total.errors.isEmpty();
    lastError = ok ? null : total.errors.get(0);
    if (ok) {
      lastSuccessNanos = System.nanoTime();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    metrics.tick(seconds, ok);
    if (total.planned > 0 || full) {
      Log.debug("tick", "full", full, "planned", total.planned, "workflows", total.workflows,
          "jobs", total.jobs, "actions", total.actions, "wallMs", seconds * 1000,
          "cpuMs", (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e6);
    }
    return ok;
  }

  private static final int CHUNK = 500;
  /** Workflows a standby rehearses per tick: enough to load and compile the code it will run. */
  private static final int REHEARSAL = 20;

  /**
   * What a standby does instead of a tick: plans a few workflows and renders the requests it
   * would send, then drops them. Nothing is written and nothing is consumed from the mirror.
   * A replica that never ran this code pays for loading and compiling it on its first tick as
   * leader: measured, 0.85 s of a 3 s lease hand-over; rehearsed, about 40 ms.
   */
  public void rehearse() {
    if (!synced.getAsBoolean()) {
      return;
    }
    Instant now = clock.instant();
    int n = 0;
    for (Workflow wf : mirror.workflows()) {
      if (n++ >= REHEARSAL) {
        break;
      }
      try {
        Plan p = Planner.plan(wf, mirror.jobsOf(wf), now, Integer.MAX_VALUE, defaultTtlSeconds);
        for (com.crd.workflow.core.Action a : p.actions()) {
          if (a instanceof com.crd.workflow.core.Action.CreateJob c) {
            com.crd.workflow.kube.JobSpecs.desiredJobJson(c).toString();
          } else if (a instanceof com.crd.workflow.core.Action.PatchStatus st) {
            com.crd.workflow.kube.Convert.toJson(st.status()).toString();
          }
        }
      } catch (RuntimeException e) {
        // the leader's tick reports it; a rehearsal only warms up
      }
    }
  }

  /** What the passes of one tick did, for its outcome and log line. */
  private static final class Pass {
    final List<String> errors = new ArrayList<>();
    int planned;
    int actions;
    int workflows;
    int jobs;

    void add(Pass p) {
      errors.addAll(p.errors);
      planned += p.planned;
      actions += p.actions;
      workflows = p.workflows;
      jobs = p.jobs;
    }
  }

  /** The owners whose timers are due now; their timers are consumed. */
  private List<String> dueTimers() {
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    for (Iterator<Map.Entry<String, Instant>> it = timers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> t = it.next();
      if (!t.getValue().isAfter(now)) {
        due.add(t.getKey());
        it.remove();
      }
    }
    return due;
  }

  /** Plans and applies one observation. */
  private Pass pass(Mirror.Observation obs) {
    Pass out = new Pass();
    out.workflows = obs.totalWorkflows();
    out.jobs = obs.totalJobs();
    if (obs.workflows().isEmpty() && obs.orphans().isEmpty()) {
      return out;
    }
    Instant now = clock.instant();
    List<Plan> plans = new ArrayList<>();
    Map<String, Workflow> byKey = new HashMap<>();
    // The global cap is shared by all workflows, so it is computed from the whole mirror.
    Map<String, Integer> mayStart = maxRunningSteps == null ? Map.of()
        : Capacity.mayStart(mirror.workflows(), mirror.jobs(), now, maxRunningSteps);
    boolean pods = podsWatched.getAsBoolean();
    for (Workflow wf : obs.workflows()) {
      Instant podStoryDue = pods ? com.crd.workflow.core.PodGrace.until(obs.jobsOf(wf), now) : null;
      if (podStoryDue != null) {
        timers.put(Mirror.owner(wf), podStoryDue); // its pod's end is on its way: plan then
        continue;
      }
      byKey.put(wf.key(), wf);
      timers.remove(Mirror.owner(wf)); // planned now: the plan says when to look again
      try {
        Plan p = Planner.plan(wf, obs.jobsOf(wf), now,
            mayStart.getOrDefault(wf.key(), Integer.MAX_VALUE), defaultTtlSeconds);
        plans.add(p);
        if (p.nextLook() != null) {
          timers.put(Mirror.owner(wf), p.nextLook());
        }
      } catch (RuntimeException e) { // an object no real API server would return: skip only it
        out.errors.add(wf.key() + ": cannot plan: " + e);
      }
    }
    Planner.sweep(List.of(), obs.orphans()).ifPresent(plans::add);
    Applier.Result applied = applier.apply(plans, byKey);
    out.errors.addAll(applied.errors());
    applied.carriedOut().forEach((kind, n) -> metrics.actions(kind, n));
    java.util.Set<String> again = new java.util.HashSet<>(applied.failedWorkflows());
    again.addAll(applied.deferredWorkflows());
    // Transient failures and deferred status writes: look at these again soon (after the loop's
    // back-off), not at the period.
    Instant retry = now.plus(RETRY);
    for (String key : again) {
      Workflow wf = byKey.get(key);
      if (wf != null) {
        timers.put(Mirror.owner(wf), retry);
      }
    }
    out.planned = plans.size();
    out.actions = applied.actions();
    return out;
  }
}
