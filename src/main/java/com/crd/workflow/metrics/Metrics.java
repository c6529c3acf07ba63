package com.crd.workflow.metrics;

import com.crd.workflow.core.Phase;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.WorkflowStatus;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus metrics. Workflow and step gauges are recomputed from each tick's observation, so a
 * restart neither loses nor double-counts them; counters are per process, as Prometheus expects.
 */
public final class Metrics {
  public static final String PREFIX = "workflow_operator_";
  private final CollectorRegistry registry = new CollectorRegistry();

  final Gauge workflows = Gauge.build(PREFIX + "workflows",
      "Workflows by namespace and workflow-status, as of the last tick.")
      .labelNames("namespace", "status").register(registry);
  final Gauge steps = Gauge.build(PREFIX + "steps",
      "Steps of all workflows by namespace and state, as of the last tick.")
      .labelNames("namespace", "state").register(registry);
  final Gauge failed = Gauge.build(PREFIX + "workflow_failed",
      "1 for each Failed workflow that still exists; reason is the Failed condition's reason.")
      .labelNames("namespace", "workflow", "reason").register(registry);
  final Histogram tickDuration = Histogram.build(PREFIX + "tick_duration_seconds",
      "Time one reconcile tick took (list, plan, apply).")
      .buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).register(registry);
  final Counter ticks = Counter.build(PREFIX + "ticks_total", "Reconcile ticks run.")
      .register(registry);
  final Counter tickErrors = Counter.build(PREFIX + "tick_errors_total",
      "Ticks that failed or had at least one failed action.").register(registry);
  final Counter apiRequests = Counter.build(PREFIX + "api_requests_total",
      "Kubernetes API requests by verb (get, list, create, patch, delete) and outcome.")
      .labelNames("verb", "outcome").register(registry);
  final Counter actions = Counter.build(PREFIX + "actions_total",
      "Actions carried out, by kind (CreateJob, DeleteJob, PatchJobLabels, PatchStatus).")
      .labelNames("action").register(registry);
  final Gauge lastSuccess = Gauge.build(PREFIX + "last_successful_tick_timestamp_seconds",
      "Unix time of the last tick that completed without error.").register(registry);
  final Gauge leader = Gauge.build(PREFIX + "leader",
      "1 when this replica holds the leader lease and acts, else 0.").register(registry);

  public CollectorRegistry registry() {
    return registry;
  }

  public void apiCall(String verb, String outcome) {
    apiRequests.labels(verb, outcome).inc();
  }

  /** A replica that stops leading stops observing: its workflow gauges must not go stale. */
  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
    if (!isLeader) {
      workflows.clear();
      steps.clear();
      failed.clear();
    }
  }

  public void action(String kind) {
    actions.labels(kind).inc();
  }

  /** Records a finished tick: duration, outcome, and the gauges derived from its plans. */
  public void tick(double seconds, boolean ok, List<Plan> plans, Map<String, String> namespaces) {
    ticks.inc();
    tickDuration.observe(seconds);
    if (!ok) {
      tickErrors.inc();
    } else {
      lastSuccess.set(System.currentTimeMillis() / 1000.0);
    }
    if (plans == null) {
      return; // listing failed: keep the last observed values rather than report zeros
    }
    Map<List<String>, Integer> byStatus = new TreeMap<>(Metrics::compare);
    Map<List<String>, Integer> byState = new TreeMap<>(Metrics::compare);
    failed.clear();
    for (Plan p : plans) {
      WorkflowStatus s = p.status();
      String ns = namespaces.get(p.workflowKey());
      if (s == null || ns == null || s.phase() == null) {
        continue;
      }
      byStatus.merge(List.of(ns, s.phase().name()), 1, Integer::sum);
      for (StepStatus st : s.steps()) {
        byState.merge(List.of(ns, String.valueOf(st.state())), 1, Integer::sum);
      }
      if (s.phase() == Phase.Failed) {
        String name = p.workflowKey().substring(ns.length() + 1);
        failed.labels(ns, name, com.crd.workflow.core.Statuses.activeReason(s)).set(1);
      }
    }
    workflows.clear();
    byStatus.forEach((k, v) -> workflows.labels(k.get(0), k.get(1)).set(v));
    steps.clear();
    byState.forEach((k, v) -> steps.labels(k.get(0), k.get(1)).set(v));
  }

  private static int compare(List<String> a, List<String> b) {
    return String.join("\0", a).compareTo(String.join("\0", b));
  }
}
