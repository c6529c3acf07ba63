package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What a user sees: /metrics moving with a run, Events in describe, conditions for kubectl wait. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityTest {
  private InProcessCluster cluster;
  private Workflows wfs;
  private int port;

  @BeforeAll
  void start() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "1s", "--leader-elect=false"));
    cluster.setOperators(1);
    wfs = new Workflows(cluster.api(), cluster.image());
    port = cluster.operators().metricsPort();
  }

  @AfterAll
  void stop() throws Exception {
    cluster.close();
  }

  private double metric(String name, String labels) throws Exception {
    return OperatorProcess.scrape(port, name, labels).orElse(-1);
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().strip();
  }

  @Test
  @DisplayName("/metrics follows a run: Started, then Failed with a per-workflow series; health endpoints answer")
  void metricsMoveWithTheRun() throws Exception {
    wfs.create(wfs.workflow("obs", "doomed", 60, Map.of(),
        List.of(step("a", "sleep 5"), step("b", "exit 1", "a"))));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        metric("workflow_operator_workflows", "namespace=\"obs\",status=\"Started\"") == 1
            && metric("workflow_operator_steps", "namespace=\"obs\",state=\"Running\"") == 1);
    assertEquals(-1, metric("workflow_operator_workflow_failed", "workflow=\"doomed\""));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        metric("workflow_operator_workflow_failed",
            "namespace=\"obs\",workflow=\"doomed\",reason=\"StepFailed\"") == 1);
    assertEquals(1, metric("workflow_operator_workflows", "namespace=\"obs\",status=\"Failed\""));
    assertEquals(-1, metric("workflow_operator_workflows", "namespace=\"obs\",status=\"Started\""));
    assertTrue(metric("workflow_operator_ticks_total", null) >= 2);
    assertTrue(metric("workflow_operator_tick_duration_seconds_count", null) >= 2);
    assertTrue(metric("workflow_operator_api_requests_total", "verb=\"create\",outcome=\"success\"") >= 2);
    assertTrue(metric("workflow_operator_actions_total", "action=\"CreateJob\"") >= 2);
    assertTrue(metric("workflow_operator_last_successful_tick_timestamp_seconds", null) > 1.7e9);
    assertEquals(1, metric("workflow_operator_leader", null));
    assertEquals("200 ok", get(port, "/healthz"));
    assertEquals("200 ready", get(port, "/readyz"));
    wfs.delete("obs", "doomed");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        metric("workflow_operator_workflow_failed", "workflow=\"doomed\"") == -1);
  }

  @Test
  @DisplayName("Events tell the story once each, and conditions say Completed or Failed")
  void eventsAndConditions() throws Exception {
    wfs.create(wfs.workflow("story", "tale", 60, Map.of(),
        List.of(step("a", "echo"), step("b", "echo", "a"))));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("story", "tale")));
    long ticks = cluster.ticks().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ticks().orElseThrow() >= ticks + 3);
    assertEquals(List.of("Started", "StepStarted", "StepSucceeded", "StepStarted", "StepSucceeded",
        "Completed"), reasons("story", "tale"));
    long logSize = java.nio.file.Files.size(cluster.operators().logOfOldest());
    long idle = cluster.ticks().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ticks().orElseThrow() >= idle + 3);
    assertEquals(logSize, java.nio.file.Files.size(cluster.operators().logOfOldest()),
        "no-op ticks log nothing");
    assertCondition("story", "tale", "Completed", "True");
    assertCondition("story", "tale", "Failed", "False");

    wfs.setSpec("story", "tale", wfs.spec(60, List.of(step("c", "exit 2"))));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Failed".equals(wfs.status("story", "tale")));
    await().atMost(Duration.ofSeconds(10)).until(() -> reasons("story", "tale").contains("Failed"));
    List<String> after = reasons("story", "tale").subList(6, reasons("story", "tale").size());
    assertEquals(List.of("Restarted", "StepStarted", "StepFailed", "Failed"), after);
    assertCondition("story", "tale", "Failed", "True");

    wfs.create(wfs.workflow("story", "loop", 60, Map.of(),
        List.of(step("a", "echo", "b"), step("b", "echo", "a"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> reasons("story", "loop").contains("InvalidSpec"));
    assertEquals(List.of("InvalidSpec"), reasons("story", "loop"));
  }

  /** Event reasons for one workflow, oldest first. */
  private List<String> reasons(String ns, String name) {
    return cluster.server().list("events", ns).stream()
        .filter(e -> name.equals(Json.str(e, "involvedObject", "name")))
        .sorted((x, y) -> Long.compare(rv(x), rv(y)))
        .map(e -> Json.str(e, "reason")).collect(Collectors.toList());
  }

  private static long rv(JsonObject o) {
    return Long.parseLong(Json.str(o, "metadata", "resourceVersion"));
  }

  private void assertCondition(String ns, String name, String type, String status) throws Exception {
    JsonObject wf = wfs.get(ns, name);
    JsonObject c = Json.objects(wf, "status", "conditions").stream()
        .filter(x -> type.equals(Json.str(x, "type"))).findFirst().orElseThrow();
    assertEquals(status, Json.str(c, "status"), type + " in " + wf.get("status"));
  }
}
