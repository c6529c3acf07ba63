package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.core.Action;
import com.crd.workflow.core.Capacity;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.kube.Applier;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.metrics.Metrics;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One tick: list everything, plan everything, apply. Holds nothing from one tick to the next. */
public final class Reconciler {
  private final KubeApi api;
  private final Applier applier;
  private final Metrics metrics;
  private final Clock clock;
  private final List<String> namespaces;
  private final Integer maxRunningSteps;
  private volatile long lastSuccessNanos;
  private volatile String lastError = "no tick has run yet";

  public Reconciler(KubeApi api, Applier applier, Metrics metrics, Clock clock, List<String> namespaces) {
    this(api, applier, metrics, clock, namespaces, null);
  }

  /** @param maxRunningSteps the cap on active step Jobs across all workflows; null = none */
  public Reconciler(KubeApi api, Applier applier, Metrics metrics, Clock clock,
      List<String> namespaces, Integer maxRunningSteps) {
    this.maxRunningSteps = maxRunningSteps;
    this.api = api;
    this.applier = applier;
    this.metrics = metrics;
    this.clock = clock;
    this.namespaces = namespaces.isEmpty() ? Collections.singletonList(null) : namespaces;
  }

  public long lastSuccessNanos() {
    return lastSuccessNanos;
  }

  public String lastError() {
    return lastError;
  }

  /** Runs one tick; true when everything listed and every action succeeded. */
  public boolean tick() {
    long start = System.nanoTime();
    List<Plan> plans = null;
    Map<String, String> namespaceOf = new HashMap<>();
    boolean ok = false;
    try {
      // Workflows first: a Job listed after its Workflow vanished is correctly an orphan.
      Map<String, Workflow> workflows = new LinkedHashMap<>();
      for (String ns : namespaces) {
        for (JsonObject o : api.list(Paths.workflows(ns), null)) {
          Workflow wf = Convert.workflow(o);
          workflows.put(wf.key(), wf);
          namespaceOf.put(wf.key(), wf.namespace());
        }
      }
      List<ObservedJob> jobs = new ArrayList<>();
      for (String ns : namespaces) {
        for (JsonObject o : api.list(Paths.jobs(ns), Names.MANAGED_SELECTOR)) {
          jobs.add(Convert.job(o));
        }
      }
      plans = new ArrayList<>();
      List<String> planErrors = new ArrayList<>();
      Map<String, List<ObservedJob>> byOwner = Planner.byOwner(jobs);
      Map<String, Integer> mayStart = maxRunningSteps == null ? Map.of()
          : Capacity.mayStart(workflows.values(), jobs, clock.instant(), maxRunningSteps);
      for (Workflow wf : workflows.values()) {
        try {
          plans.add(Planner.plan(wf, Planner.jobsOf(wf, byOwner), clock.instant(),
              mayStart.getOrDefault(wf.key(), Integer.MAX_VALUE)));
        } catch (RuntimeException e) { // an object no real API server would return: skip only it
          planErrors.add(wf.key() + ": cannot plan: " + e);
        }
      }
      Planner.sweep(workflows.values(), jobs).ifPresent(plans::add);
      Applier.Result applied = applier.apply(plans, workflows);
      List<String> errors = new ArrayList<>(planErrors);
      errors.addAll(applied.errors());
      Applier.Result result = new Applier.Result(applied.actions(), errors);
      for (Plan p : plans) {
        for (Action a : p.actions()) {
          metrics.action(a.getClass().getSimpleName());
        }
      }
      result.errors().forEach(e -> Log.warn("action failed, retrying next tick", "error", e));
      ok = result.errors().isEmpty();
      lastError = ok ? null : result.errors().get(0);
      Log.debug("tick", "workflows", workflows.size(), "jobs", jobs.size(), "actions", result.actions());
    } catch (ApiException e) {
      lastError = "listing failed: " + e.getMessage();
      Log.warn("tick failed, retrying next tick", "error", lastError);
    } catch (RuntimeException e) {
      lastError = "tick failed: " + e;
      Log.error("tick failed", "error", String.valueOf(e));
    }
    if (ok) {
      lastSuccessNanos = System.nanoTime();
    }
    metrics.tick((System.nanoTime() - start) / 1e9, ok, plans, namespaceOf);
    return ok;
  }
}
