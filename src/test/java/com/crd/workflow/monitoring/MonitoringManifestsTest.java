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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring: the optional Prometheus Operator kustomization. The ServiceMonitor must
 * find the metrics Service that deploy/ really ships, and keep the labels the alert rules rely
 * on; the base kustomization must not pull it in, since clusters without the Prometheus
 * Operator have no ServiceMonitor CRD and would reject the whole apply.
 */
@DisplayName("Prometheus Operator manifests in deploy/monitoring")
class MonitoringManifestsTest {

  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path MONITORING = DEPLOY.resolve("monitoring");
  private static final String NAMESPACE = "workflow-operator";
  private static final String SERVICE = "workflow-operator-metrics";

  @Test
  @DisplayName("the ServiceMonitor selects the workflow-operator-metrics Service, and only it")
  void serviceMonitorSelectsTheMetricsService() throws IOException {
    Map<String, Object> sm = only(MONITORING.resolve("servicemonitor.yaml"), "ServiceMonitor");
    Map<String, Object> spec = map(sm.get("spec"), "spec");
    Map<String, Object> selector = map(map(spec.get("selector"), "selector").get("matchLabels"), "matchLabels");
    assertFalse(selector.isEmpty(), "an empty selector matches every Service in the namespace");

    List<Map<String, Object>> services = baseObjects("Service");
    List<String> selected = services.stream()
        .filter(s -> labelsOf(s).entrySet().containsAll(selector.entrySet()))
        .map(s -> String.valueOf(map(s.get("metadata"), "metadata").get("name")))
        .toList();
    assertAll(
        () -> assertEquals("monitoring.coreos.com/v1", sm.get("apiVersion")),
        () -> assertEquals(NAMESPACE, map(sm.get("metadata"), "metadata").get("namespace")),
        () -> assertEquals(List.of(SERVICE), selected, "Services matched by " + selector),
        () -> {
          Object nsSelector = spec.get("namespaceSelector");
          if (nsSelector != null) {
            assertEquals(List.of(NAMESPACE), map(nsSelector, "namespaceSelector").get("matchNames"));
          }
        });
  }

  @Test
  @DisplayName("the ServiceMonitor scrapes the Service's metrics port at /metrics every 30s, honoring the operator's labels")
  void serviceMonitorEndpointMatchesTheService() throws IOException {
    Map<String, Object> spec = map(only(MONITORING.resolve("servicemonitor.yaml"), "ServiceMonitor").get("spec"), "spec");
    List<?> endpoints = list(spec.get("endpoints"), "endpoints");
    assertEquals(1, endpoints.size(), "endpoints");
    Map<String, Object> endpoint = map(endpoints.get(0), "endpoint");

    Map<String, Object> service = baseObjects("Service").stream()
        .filter(s -> SERVICE.equals(map(s.get("metadata"), "metadata").get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("deploy/ has no Service " + SERVICE));
    Set<Object> portNames = list(map(service.get("spec"), "Service spec").get("ports"), "ports").stream()
        .map(p -> map(p, "port").get("name"))
        .collect(Collectors.toSet());
    assertAll(
        () -> assertEquals("metrics", endpoint.get("port")),
        () -> assertTrue(portNames.contains(endpoint.get("port")), "the Service has no port named " + endpoint.get("port")),
        () -> assertEquals("/metrics", endpoint.get("path")),
        () -> assertEquals("30s", endpoint.get("interval")),
        // The workflow metrics' own `namespace` label (the Workflow's namespace) must win over
        // the target's (the operator's); WorkflowFailed groups and reports by it.
        () -> assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), "honorLabels"));
  }

  @Test
  @DisplayName("deploy/monitoring is its own kustomization, and the base kustomization does not include it")
  void monitoringIsAnOptionalKustomization() throws IOException {
    Map<String, Object> monitoring = readYaml(MONITORING.resolve("kustomization.yaml"));
    Map<String, Object> base = readYaml(DEPLOY.resolve("kustomization.yaml"));
    Set<String> besides;
    try (Stream<Path> s = Files.list(MONITORING)) {
      besides = s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    List<String> baseResources = strings(base.get("resources"));
    assertAll(
        () -> assertEquals(Set.of("servicemonitor.yaml", "prometheusrule.yaml"), besides),
        () -> assertEquals(besides, new TreeSet<>(strings(monitoring.get("resources")))),
        () -> assertTrue(
            baseResources.stream().noneMatch(r -> r.contains("monitoring")),
            "deploy/kustomization.yaml must not include monitoring: " + baseResources));
  }

  @Test
  @DisplayName("kubectl kustomize builds deploy/monitoring into one ServiceMonitor and one PrometheusRule")
  void kustomizeBuildsTheMonitoringKustomization() throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    assumeTrue(kubectl.isPresent(), "SKIPPED: kubectl is not on PATH, so `kubectl kustomize deploy/monitoring` was not tried");
    Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", ROOT.relativize(MONITORING).toString())
        .directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
    assertEquals(0, p.exitValue(), () -> "kubectl kustomize deploy/monitoring failed:\n" + out);
    List<String> kinds = new ArrayList<>();
    for (Object doc : plainYaml().loadAll(out)) {
      if (doc != null) {
        kinds.add(String.valueOf(map(doc, "document").get("kind")));
      }
    }
    assertEquals(List.of("PrometheusRule", "ServiceMonitor"), kinds.stream().sorted().toList());
  }

  // ---------------------------------------------------------------------------------------

  private static Map<String, Object> only(Path file, String kind) throws IOException {
    List<Map<String, Object>> docs = docs(file);
    assertEquals(1, docs.size(), file + " should hold one document");
    assertEquals(kind, docs.get(0).get("kind"), file + " kind");
    return docs.get(0);
  }

  /** Objects of a kind in the base deploy/ folder (not its subfolders), as kustomize lists them. */
  private static List<Map<String, Object>> baseObjects(String kind) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String r : strings(readYaml(DEPLOY.resolve("kustomization.yaml")).get("resources"))) {
      Path file = DEPLOY.resolve(r);
      if (Files.isRegularFile(file)) {
        docs(file).stream().filter(d -> kind.equals(d.get("kind"))).forEach(out::add);
      }
    }
    return out;
  }

  private static Map<String, Object> labelsOf(Map<String, Object> object) {
    Object labels = map(object.get("metadata"), "metadata").get("labels");
    return labels == null ? Map.of() : map(labels, "labels");
  }

  private static List<Map<String, Object>> docs(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object doc : plainYaml().loadAll(reader)) {
        if (doc != null) {
          out.add(map(doc, file.toString()));
        }
      }
    }
    return out;
  }

  private static List<String> strings(Object o) {
    return o == null ? List.of() : list(o, "list").stream().map(String::valueOf).toList();
  }

}
