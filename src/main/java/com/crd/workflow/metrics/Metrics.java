package com.crd.workflow.metrics;

import com.crd.workflow.core.Phase;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowStatus;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics. Workflow and step gauges are computed from the observed Workflows when
 * scraped; counters are per process, as Prometheus expects.
 */
public final class Metrics {
  public static final String PREFIX = "workflow_operator_";
  private final CollectorRegistry registry = new CollectorRegistry();

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
      "Actions carried out, by kind (CreateJob, DeleteJob, DeleteWorkflow, PatchJobLabels, PatchStatus) and outcome "
          + "(done, already_done, conflict, transient, permanent).")
      .labelNames("action", "outcome").register(registry);
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

  /** A replica that stops leading stops reporting workflows: its gauges must not go stale. */
  public void leader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
    this.leading = isLeader;
  }

  /** @param kindAndOutcome "CreateJob/done", as the applier reports it */
  public void actions(String kindAndOutcome, int n) {
    String[] parts = kindAndOutcome.split("/", 2);
    actions.labels(parts[0], parts.length > 1 ? parts[1] : "done").inc(n);
  }

  /** Records a finished tick: its duration and outcome. */
  public void tick(double seconds, boolean ok) {
    ticks.inc();
    tickDuration.observe(seconds);
    if (!ok) {
      tickErrors.inc();
    } else {
      lastSuccess.set(System.currentTimeMillis() / 1000.0);
    }
  }

  private volatile boolean leading;

  /**
   * {@code workflow_operator_api_problem{cause}}: 1 for each kind of problem that keeps the operator
   * from observing the cluster right now (crd_missing, unauthorized, forbidden, unreachable, ...).
   */
  public void problems(Supplier<? extends Collection<String>> causes) {
    new Collector() {
      @Override
      public List<MetricFamilySamples> collect() {
        GaugeMetricFamily g = new GaugeMetricFamily(PREFIX + "api_problem",
            "1 for each kind of API problem that keeps the operator from observing the cluster.",
            List.of("cause"));
        new java.util.TreeSet<String>(causes.get()).forEach(c -> g.addMetric(List.of(c), 1));
        return List.of(g);
      }
    }.register(registry);
  }

  /**
   * Workflow and step gauges, computed when scraped from the observed Workflows' statuses: no
   * tick pays for them, and a restart neither loses nor double-counts them.
   */
  public void observe(Supplier<? extends Collection<Workflow>> observed) {
    new WorkflowCollector(observed, () -> leading).register(registry);
  }

  static final class WorkflowCollector extends Collector {
    private final Supplier<? extends Collection<Workflow>> observed;
    private final java.util.function.BooleanSupplier leading;

    WorkflowCollector(Supplier<? extends Collection<Workflow>> observed,
        java.util.function.BooleanSupplier leading) {
      this.observed = observed;
      this.leading = leading;
    }

    @Override
    public List<MetricFamilySamples> collect() {
      GaugeMetricFamily workflows = new GaugeMetricFamily(PREFIX + "workflows",
          "Workflows by namespace and workflow-status, as observed.", List.of("namespace", "status"));
      GaugeMetricFamily steps = new GaugeMetricFamily(PREFIX + "steps",
          "Steps of all workflows by namespace and state, as observed.", List.of("namespace", "state"));
      GaugeMetricFamily failed = new GaugeMetricFamily(PREFIX + "workflow_failed",
          "1 for each Failed workflow that still exists; reason is the Failed condition's reason.",
          List.of("namespace", "workflow", "reason"));
      GaugeMetricFamily retries = new GaugeMetricFamily(PREFIX + "workflow_step_retries",
          "Retries so far of each unfinished workflow's steps (attempts beyond the first, summed "
              + "over its steps); only workflows with a retry appear.",
          List.of("namespace", "workflow"));
      GaugeMetricFamily retrying = new GaugeMetricFamily(PREFIX + "steps_retrying",
          "Steps waiting for their next attempt, by namespace and the cause of the failed one "
              + "(exit_code, oom_killed, timed_out, evicted, other).",
          List.of("namespace", "reason"));
      if (leading.getAsBoolean()) {
        Map<List<String>, Integer> byRetryReason = new TreeMap<>(Metrics::compare);
        Map<List<String>, Integer> byStatus = new TreeMap<>(Metrics::compare);
        Map<List<String>, Integer> byState = new TreeMap<>(Metrics::compare);
        for (Workflow wf : observed.get()) {
          WorkflowStatus s = wf.status();
          if (s == null || s.phase() == null) {
            continue;
          }
          byStatus.merge(List.of(wf.namespace(), s.phase().name()), 1, Integer::sum);
          for (StepStatus st : s.steps()) {
            byState.merge(List.of(wf.namespace(), String.valueOf(st.state())), 1, Integer::sum);
            if (st.state() == com.crd.workflow.core.StepState.Retrying) {
              byRetryReason.merge(List.of(wf.namespace(), retryReason(st.message())), 1, Integer::sum);
            }
          }
          int retried = 0;
          for (StepStatus st : s.steps()) {
            retried += st.attempts() == null ? 0 : Math.max(0, st.attempts() - 1);
          }
          if (retried > 0 && !s.phase().isFinal()) {
            // Finished workflows drop out: the series count stays the number of live retries.
            retries.addMetric(List.of(wf.namespace(), wf.name()), retried);
          }
          if (s.phase() == Phase.Failed) {
            failed.addMetric(List.of(wf.namespace(), wf.name(),
                com.crd.workflow.core.Statuses.activeReason(s)), 1);
          }
        }
        byStatus.forEach((k, v) -> workflows.addMetric(k, v));
        byState.forEach((k, v) -> steps.addMetric(k, v));
        byRetryReason.forEach((k, v) -> retrying.addMetric(k, v));
      }
      return List.of(workflows, steps, failed, retries, retrying);
    }
  }

  /** The cause of a retrying step's failed attempt, from its message: a small, fixed label set. */
  static String retryReason(String message) {
    String m = message == null ? "" : message;
    if (m.contains("timed out")) {
      return "timed_out";
    }
    if (m.contains("OOMKilled")) {
      return "oom_killed";
    }
    if (m.contains("evicted") || m.contains("DisruptionTarget")) {
      return "evicted";
    }
    return m.contains("exit code") ? "exit_code" : "other";
  }

  private static int compare(List<String> a, List<String> b) {
    return String.join("\0", a).compareTo(String.join("\0", b));
  }
}
