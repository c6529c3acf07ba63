package com.crd.workflow.monitoring;

import static com.crd.workflow.monitoring.MonitoringFiles.ROOT;
import static com.crd.workflow.monitoring.MonitoringFiles.list;
import static com.crd.workflow.monitoring.MonitoringFiles.map;
import static com.crd.workflow.monitoring.MonitoringFiles.onPath;
import static com.crd.workflow.monitoring.MonitoringFiles.plainYaml;
import static com.crd.workflow.monitoring.MonitoringFiles.readYaml;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.crd.workflow.core.Condition;
import com.crd.workflow.core.Phase;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.StepState;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.Statuses;
import com.crd.workflow.core.WorkflowStatus;
import com.crd.workflow.metrics.Metrics;
import io.prometheus.client.Collector.MetricFamilySamples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The alerting rules in test-monitoring/rules.yaml (promtool's format) and
 * deploy/monitoring/prometheusrule.yaml (the Prometheus Operator's), checked three ways: the two
 * hold the same groups; every metric and label set they and their unit tests use is one the
 * operator really exports; and promtool accepts the rules and passes their unit tests. The
 * first two need nothing installed; the promtool ones are skipped, loudly, without promtool.
 */
@DisplayName("Prometheus alerting rules for workflow-operator")
class PrometheusRulesTest {

  private static final Path RULES = ROOT.resolve("test-monitoring/rules.yaml");
  private static final Path RULES_TEST = ROOT.resolve("test-monitoring/rules_test.yaml");
  private static final Path PROMETHEUS_RULE = ROOT.resolve("deploy/monitoring/prometheusrule.yaml");

  /** A metric name of ours, wherever it appears: expr, annotation or input series. */
  private static final Pattern METRIC_NAME = Pattern.compile("workflow_operator_[a-z_]+");
  /** {@code name{a="b",c="d"}}, the series notation promtool's input_series use. */
  private static final Pattern SERIES = Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{(.*)\\})?\\s*");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

  /**
   * Labels Prometheus adds to every scraped series (the Prometheus Operator's target labels and
   * job/instance). An input series may carry these on top of what the operator exports; any
   * other extra label is a label the operator does not have.
   */
  private static final Set<String> TARGET_LABELS =
      Set.of("job", "instance", "namespace", "pod", "service", "endpoint", "container");

  private static final long PROMTOOL_TIMEOUT_SECONDS = 120;

  // ---------------------------------------------------------------------------------------
  // One source of truth

  @Test
  @DisplayName("the PrometheusRule's spec holds exactly the rule groups of test-monitoring/rules.yaml")
  void prometheusRuleSpecEqualsTheTestedRuleFile() throws IOException {
    Map<String, Object> cr = readYaml(PROMETHEUS_RULE);
    Map<String, Object> rules = readYaml(RULES);
    Map<String, Object> metadata = map(cr.get("metadata"), "metadata");
    assertAll(
        () -> assertEquals("monitoring.coreos.com/v1", cr.get("apiVersion")),
        () -> assertEquals("PrometheusRule", cr.get("kind")),
        () -> assertEquals("workflow-operator", metadata.get("name")),
        () -> assertEquals("workflow-operator", metadata.get("namespace")));
    Object spec = cr.get("spec");
    assertEquals(
        rules,
        spec,
        () ->
            "deploy/monitoring/prometheusrule.yaml `spec:` and test-monitoring/rules.yaml differ; promtool only"
                + " tests the latter, so copy its groups under the CR's spec.\n--- rules.yaml:\n"
                + plainYaml().dump(rules)
                + "--- prometheusrule.yaml spec:\n"
                + plainYaml().dump(spec));
  }

  @Test
  @DisplayName("every alert has a severity of warning or critical, a summary and a description")
  void everyAlertIsRoutableAndExplained() throws IOException {
    List<Map<String, Object>> alerts = alerts();
    assertFalse(alerts.isEmpty(), "no alerts in " + RULES);
    List<Executable> checks = new ArrayList<>();
    for (Map<String, Object> alert : alerts) {
      String name = String.valueOf(alert.get("alert"));
      Map<String, Object> labels = map(alert.get("labels"), name + " labels");
      Map<String, Object> annotations = map(alert.get("annotations"), name + " annotations");
      checks.add(() -> assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), name + " severity"));
      checks.add(() -> assertFalse(String.valueOf(annotations.getOrDefault("summary", "")).isBlank(), name + " summary"));
      checks.add(() -> assertFalse(String.valueOf(annotations.getOrDefault("description", "")).isBlank(), name + " description"));
    }
    assertAll(checks);
    assertEquals(
        new TreeSet<>(List.of("WorkflowFailed", "WorkflowOperatorNotTicking", "WorkflowOperatorTickErrors",
            "WorkflowOperatorNoLeader", "WorkflowOperatorDown", "WorkflowStepsRetrying")),
        alerts.stream().map(a -> String.valueOf(a.get("alert"))).collect(Collectors.toCollection(TreeSet::new)));
  }

  // ---------------------------------------------------------------------------------------
  // The rules speak the operator's real metrics

  @Test
  @DisplayName("every workflow_operator_* name in the rules and their unit tests is a metric Metrics exports")
  void everyMetricNameIsExported() throws IOException {
    Set<String> exported = exportedSampleNames();
    Map<String, Set<String>> usedIn = new TreeMap<>();
    for (Map<String, Object> alert : alerts()) {
      String where = "rules.yaml alert " + alert.get("alert");
      metricNames(String.valueOf(alert.get("expr")))
          .forEach(n -> usedIn.computeIfAbsent(n, k -> new TreeSet<>()).add(where + " expr"));
      metricNames(String.valueOf(alert.get("annotations")))
          .forEach(n -> usedIn.computeIfAbsent(n, k -> new TreeSet<>()).add(where + " annotations"));
    }
    for (String series : inputSeries()) {
      metricNames(series).forEach(n -> usedIn.computeIfAbsent(n, k -> new TreeSet<>()).add("rules_test.yaml input_series"));
    }
    // Guards the guard: a broken regex or empty files would make this test pass vacuously.
    assertTrue(usedIn.keySet().containsAll(Set.of(
        "workflow_operator_workflow_failed", "workflow_operator_leader",
        "workflow_operator_workflow_step_retries",
        "workflow_operator_last_successful_tick_timestamp_seconds", "workflow_operator_tick_errors_total")),
        "expected the rules to use the operator's metrics, found " + usedIn.keySet());

    Map<String, Set<String>> unknown = new TreeMap<>(usedIn);
    unknown.keySet().removeAll(exported);
    assertTrue(
        unknown.isEmpty(),
        () -> "not exported by com.crd.workflow.metrics.Metrics (renamed or removed?): " + unknown
            + "\nexported: " + exported);
  }

  @Test
  @DisplayName("every input series carries exactly the operator's labels for that metric, plus scrape target labels")
  void inputSeriesUseTheExportedLabelSets() throws IOException {
    Map<String, Set<String>> exported = exportedLabelNames();
    List<String> series = inputSeries();
    List<Executable> checks = new ArrayList<>();
    int ours = 0;
    for (String s : series) {
      Matcher m = SERIES.matcher(s);
      assertTrue(m.matches(), "cannot parse input series " + s);
      String name = m.group(1);
      if (!name.startsWith(Metrics.PREFIX)) {
        continue; // e.g. up{...}, Prometheus' own
      }
      ours++;
      Map<String, String> labels = labels(m.group(2), s);
      checks.add(
          () -> {
            Set<String> want = exported.get(name);
            assertNotNull(want, s + ": " + name + " is not exported; exported: " + exported.keySet());
            Set<String> missing = new TreeSet<>(want);
            missing.removeAll(labels.keySet());
            Set<String> extra = new TreeSet<>(labels.keySet());
            extra.removeAll(want);
            extra.removeAll(TARGET_LABELS);
            assertTrue(missing.isEmpty(), s + " lacks the operator's label(s) " + missing);
            assertTrue(extra.isEmpty(), s + " has label(s) the operator does not export: " + extra);
          });
      checks.add(() -> assertRealLabelValues(labels, s));
    }
    assertTrue(ours > 0, "no workflow_operator_* input series in " + RULES_TEST);
    assertAll(checks);
  }

  /** Label values the operator derives from enums and constants must be ones it can produce. */
  private static void assertRealLabelValues(Map<String, String> labels, String series) {
    Set<String> failedReasons = Set.of(
        Statuses.REASON_INVALID, Statuses.REASON_STEP_FAILED, Statuses.REASON_TIMED_OUT, Statuses.REASON_BLOCKED);
    if (series.startsWith(Metrics.PREFIX + "workflow_failed")) {
      assertTrue(failedReasons.contains(labels.get("reason")), series + ": reason not one of " + failedReasons);
    }
    if (series.startsWith(Metrics.PREFIX + "workflows")) {
      assertTrue(names(Phase.values()).contains(labels.get("status")), series + ": status not a Phase");
    }
    if (series.startsWith(Metrics.PREFIX + "steps")) {
      assertTrue(names(StepState.values()).contains(labels.get("state")), series + ": state not a StepState");
    }
  }

  // ---------------------------------------------------------------------------------------
  // promtool

  @Test
  @DisplayName("promtool check rules accepts test-monitoring/rules.yaml")
  void promtoolChecksTheRules() throws Exception {
    Path promtool = promtoolOrSkip();
    Result r = run(promtool.toString(), "check", "rules", ROOT.relativize(RULES).toString());
    assertEquals(0, r.exit(), () -> "promtool check rules failed:\n" + r.output());
  }

  @Test
  @DisplayName("promtool test rules passes every unit test in test-monitoring/rules_test.yaml")
  void promtoolUnitTestsPass() throws Exception {
    Path promtool = promtoolOrSkip();
    Result r = run(promtool.toString(), "test", "rules", ROOT.relativize(RULES_TEST).toString());
    assertEquals(0, r.exit(), () -> "promtool test rules failed:\n" + r.output());
    assertTrue(r.output().contains("SUCCESS"), () -> "promtool did not report SUCCESS:\n" + r.output());
  }

  private static Path promtoolOrSkip() {
    Optional<Path> promtool = onPath("promtool");
    assumeTrue(
        promtool.isPresent(),
        "SKIPPED: promtool is not on PATH, so the alert rules were NOT checked or unit-tested. Install it"
            + " from the Debian package `prometheus` (apt-get install prometheus), which is how .ci/run"
            + " provides it in CI, then rerun.");
    return promtool.get();
  }

  record Result(int exit, String output) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    // Read before waiting: a full pipe would otherwise block promtool forever.
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(PROMTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + PROMTOOL_TIMEOUT_SECONDS + "s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------------------------------
  // What the operator exports

  /**
   * A Metrics with every labelled family given at least one child, so each family's label names
   * show up in its samples: one Failed and one Completed workflow, an API call, an action.
   */
  private static Metrics populatedMetrics() {
    Metrics metrics = new Metrics();
    metrics.leader(true);
    metrics.apiCall("list", "ok");
    metrics.actions("CreateJob/done", 1);
    List<Condition> failed = List.of(
        new Condition(Statuses.COND_FAILED, "True", Statuses.REASON_STEP_FAILED, "step b failed", null, 1));
    StepStatus a = new StepStatus("a", StepState.Succeeded, "etl-a", null, null, null);
    StepStatus b = new StepStatus("b", StepState.Failed, "etl-b", "failed", null, null);
    StepStatus retrying = new StepStatus("c", StepState.Retrying, "nightly-c-3", "attempt 3 of 4 failed",
        null, null, 3);
    List<Workflow> observed = List.of(
        workflow("team-a", "etl", status(Phase.Failed, List.of(a, b), failed)),
        workflow("team-c", "nightly", status(Phase.Started, List.of(retrying), List.of())),
        workflow("team-b", "report", status(Phase.Completed, List.of(a), List.of())));
    metrics.observe(() -> observed);
    metrics.tick(0.05, true);
    metrics.tick(0.05, false);
    return metrics;
  }

  private static Workflow workflow(String ns, String name, WorkflowStatus status) {
    return new Workflow(ns, name, "uid-" + name, Map.of(), 1, "1", false, null, null, status);
  }

  private static WorkflowStatus status(Phase phase, List<StepStatus> steps, List<Condition> conditions) {
    return new WorkflowStatus(phase, null, "", "", "hash", 1, List.of(), List.of(), steps, conditions);
  }

  /**
   * Every series name the operator can expose. A family's name is not always a sample's name
   * (counter family {@code x} exposes {@code x_total}; histograms add {@code _bucket/_sum/_count}),
   * so both the names the client library declares and those actually sampled are collected.
   */
  private static Set<String> exportedSampleNames() {
    Set<String> names = new TreeSet<>();
    for (MetricFamilySamples family : families(populatedMetrics())) {
      names.addAll(Arrays.asList(family.getNames()));
      family.samples.forEach(s -> names.add(s.name));
    }
    names.removeIf(n -> !n.startsWith(Metrics.PREFIX));
    assertFalse(names.isEmpty(), "Metrics exported nothing with prefix " + Metrics.PREFIX);
    return names;
  }

  /** Sample name to its label names, as scraped. */
  private static Map<String, Set<String>> exportedLabelNames() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (MetricFamilySamples family : families(populatedMetrics())) {
      for (MetricFamilySamples.Sample s : family.samples) {
        Set<String> labels = new TreeSet<>(s.labelNames);
        Set<String> previous = out.putIfAbsent(s.name, labels);
        if (previous != null) {
          assertEquals(previous, labels, "inconsistent label names on " + s.name);
        }
      }
    }
    return out;
  }

  private static List<MetricFamilySamples> families(Metrics metrics) {
    return Collections.list(metrics.registry().metricFamilySamples());
  }

  // ---------------------------------------------------------------------------------------
  // Reading the rule files

  private static List<Map<String, Object>> alerts() throws IOException {
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Object group : list(readYaml(RULES).get("groups"), "groups")) {
      for (Object rule : list(map(group, "group").get("rules"), "rules")) {
        Map<String, Object> r = map(rule, "rule");
        if (r.containsKey("alert")) {
          alerts.add(r);
        }
      }
    }
    return alerts;
  }

  private static List<String> inputSeries() throws IOException {
    List<String> series = new ArrayList<>();
    for (Object test : list(readYaml(RULES_TEST).get("tests"), "tests")) {
      for (Object in : list(map(test, "test").get("input_series"), "input_series")) {
        series.add(String.valueOf(map(in, "input series").get("series")));
      }
    }
    assertFalse(series.isEmpty(), "no input_series in " + RULES_TEST);
    return series;
  }

  private static Set<String> metricNames(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC_NAME.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static Map<String, String> labels(String body, String series) {
    Map<String, String> labels = new TreeMap<>();
    if (body == null || body.isBlank()) {
      return labels;
    }
    Matcher m = LABEL.matcher(body);
    int end = 0;
    while (m.lookingAt()) {
      labels.put(m.group(1), m.group(2));
      end = m.end();
      m.region(end, body.length());
    }
    assertEquals(body.length(), end, "cannot parse the labels of " + series);
    return labels;
  }

  private static Set<String> names(Enum<?>[] values) {
    return Stream.of(values).map(Enum::name).collect(Collectors.toSet());
  }

}
