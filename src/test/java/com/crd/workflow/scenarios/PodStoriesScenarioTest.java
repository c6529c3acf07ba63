package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The real operator reading its steps' pods on the in-process API, whose Job controller runs
 * images named {@code oom}, {@code pull-fail}, {@code unschedulable} and
 * {@code evicted-first-N} as such pods.
 */
class PodStoriesScenarioTest {
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject container(JsonObject wf, int step) {
    return wf.getAsJsonObject("spec").getAsJsonArray("containers").get(step).getAsJsonObject();
  }

  private static String stepMessage(Workflows wfs, String ns, String wf, String step) throws Exception {
    for (var e : wfs.get(ns, wf).getAsJsonObject("status").getAsJsonArray("steps")) {
      if (step.equals(Json.str(e.getAsJsonObject(), "name"))) {
        return Json.str(e.getAsJsonObject(), "message");
      }
    }
    return null;
  }

  @Test
  @DisplayName("OOMKilled names the memory limit, ImagePullBackOff and Unschedulable show while the step"
      + " waits and in its timeout, and an evicted pod does not use an attempt")
  void podsExplainSteps() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "30s", "--lease-namespace", "default",
        "--lease-duration", "3s"));
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    String ns = cluster.newNamespace("pods");
    JsonObject oom = wfs.workflow(ns, "oom", 60, Map.of(), List.of(step("train", "true")));
    container(oom, 0).addProperty("image", "registry.example/oom:1");
    container(oom, 0).add("resources", JsonParser.parseString(
        "{\"limits\": {\"memory\": \"512Mi\"}}"));
    JsonObject pull = wfs.workflow(ns, "pull", 4, Map.of(), List.of(step("a", "true")));
    container(pull, 0).addProperty("image", "pull-fail:1");
    JsonObject nodes = wfs.workflow(ns, "nodes", 600, Map.of(), List.of(step("a", "true")));
    container(nodes, 0).addProperty("image", "unschedulable");
    JsonObject evicted = wfs.workflow(ns, "evicted", 60, Map.of(), List.of(step("a", "sleep 0.2")));
    container(evicted, 0).addProperty("image", "busybox-evicted-first-2");
    container(evicted, 0).add("retries", JsonParser.parseString("{\"limit\": 2}"));
    cluster.setOperators(1);
    for (JsonObject wf : List.of(oom, pull, nodes, evicted)) {
      wfs.create(wf);
    }

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> assertEquals("ImagePullBackOff: Back-off pulling image \"pull-fail:1\":"
            + " ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image"
            + " \"pull-fail:1\": not found", stepMessage(wfs, ns, "pull", "a")));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> assertTrue(String.valueOf(stepMessage(wfs, ns, "nodes", "a"))
            .startsWith("Unschedulable: 0/3 nodes are available: 3 Insufficient memory."),
            "the step says why its pod waits"));
    assertEquals("Started", wfs.status(ns, "nodes"));

    wfs.awaitStatus(ns, "oom", "Failed", Duration.ofSeconds(60));
    assertEquals("step train failed: OOMKilled (memory limit 512Mi)", wfs.message(ns, "oom"));
    wfs.awaitStatus(ns, "pull", "Failed", Duration.ofSeconds(60));
    assertTrue(wfs.message(ns, "pull").startsWith("step a timed out after 4s: ImagePullBackOff:"
        + " Back-off pulling image \"pull-fail:1\""), wfs.message(ns, "pull"));
    wfs.awaitStatus(ns, "evicted", "Completed", Duration.ofSeconds(60));
    List<JsonObject> jobs = wfs.jobsOf(ns, "evicted");
    assertEquals(1, jobs.size(), "two evictions, one attempt");
    assertEquals(1, wfs.get(ns, "evicted").getAsJsonObject("status").getAsJsonArray("steps")
        .get(0).getAsJsonObject().get("attempts").getAsInt());
    assertEquals(3, cluster.server().list("pods", ns).stream()
        .filter(p -> Json.str(jobs.get(0), "metadata", "name").equals(Json.str(p, "metadata", "labels", "job-name")))
        .count(), "two evicted pods and the one that ran");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "pods answered with HTTP {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {403, 404})
  @DisplayName("where reading pods is forbidden (403) or not served (404) the operator still runs every"
      + " workflow, degraded, with the Jobs' reasons as messages")
  void podsForbidden(int code) throws Exception {
    cluster = new InProcessCluster(List.of("--leader-elect=false", "--tick-period", "1s"));
    cluster.server().failNext("GET", "/api/v1/pods", code, 1_000_000);
    cluster.setOperators(1);
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    String ns = cluster.newNamespace("nopods");
    wfs.create(wfs.workflow(ns, "ok", 60, Map.of(), List.of(step("a", "true"))));
    wfs.create(wfs.workflow(ns, "bad", 60, Map.of(), List.of(step("a", "exit 3"))));
    wfs.awaitStatus(ns, "ok", "Completed", Duration.ofSeconds(60));
    wfs.awaitStatus(ns, "bad", "Failed", Duration.ofSeconds(60));
    assertEquals("step a failed: BackoffLimitExceeded", wfs.message(ns, "bad"));
    int port = cluster.operators().metricsPort();
    assertEquals(1, OperatorProcess.scrape(port, "workflow_operator_api_problem",
        code == 403 ? "cause=\"forbidden\"" : "cause=\"other\"").orElse(0));
    java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/readyz"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().startsWith("ready (degraded:"), ready.body());
  }
}
