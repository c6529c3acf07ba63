package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The real operator on the in-process API, for what happens around a run: the workflow's deadline,
 * clean-up after it finished, and re-running it from the failure. The tick period is long, so
 * anything timed happens because the planner asked to be woken for it.
 *
 * <p>Each scenario has its own in-process API and operator, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class LifecycleScenarioTest {
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Workflows start() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "60s", "--lease-namespace", "default",
        "--lease-duration", "3s"));
    cluster.setOperators(1);
    return new Workflows(cluster.api(), cluster.image());
  }

  private static JsonObject stepStatus(Workflows wfs, String ns, String wf, String step) throws Exception {
    for (var e : wfs.get(ns, wf).getAsJsonObject("status").getAsJsonArray("steps")) {
      if (step.equals(Json.str(e.getAsJsonObject(), "name"))) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError("no step " + step);
  }

  @Test
  @DisplayName("a workflow past its deadline fails on time with its message, its running Job deleted, the rest Skipped")
  void deadline() throws Exception {
    Workflows wfs = start();
    String ns = cluster.newNamespace("deadline");
    JsonObject wf = wfs.workflow(ns, "late", 120, Map.of(),
        List.of(step("slow", "sleep 100"), step("after", "true", "slow")));
    wf.getAsJsonObject("spec").addProperty("activeDeadlineSeconds", 3);
    wfs.create(wf);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> wfs.jobsOf(ns, "late").size() == 1);
    wfs.awaitStatus(ns, "late", "Failed", Duration.ofSeconds(60));
    assertEquals("workflow exceeded its deadline of 3s", wfs.message(ns, "late"));
    JsonObject late = wfs.get(ns, "late");
    Duration took = Duration.between(Instant.parse(Json.str(late, "metadata", "creationTimestamp")),
        Instant.parse(Json.str(late, "status", "status-changed")));
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "woken for the deadline, not by the 60 s tick: " + took);
    assertEquals("Failed", Json.str(stepStatus(wfs, ns, "late", "slow"), "state"));
    assertEquals("Skipped", Json.str(stepStatus(wfs, ns, "late", "after"), "state"));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .untilAsserted(() -> assertEquals(List.of(), wfs.jobsOf(ns, "late")));
  }

  @Test
  @DisplayName("ttlSecondsAfterFinished deletes the Workflow after it finished; jobRetention deletes the Jobs while the status stays readable")
  void cleanUp() throws Exception {
    Workflows wfs = start();
    String ns = cluster.newNamespace("cleanup");
    JsonObject ttl = wfs.workflow(ns, "ttl", 60, Map.of(), List.of(step("a", "true")));
    ttl.getAsJsonObject("spec").addProperty("ttlSecondsAfterFinished", 2);
    JsonObject kept = wfs.workflow(ns, "kept", 60, Map.of(), List.of(step("a", "true"), step("b", "true", "a")));
    JsonObject retention = new JsonObject();
    retention.addProperty("onSuccess", 5);
    kept.getAsJsonObject("spec").add("jobRetention", retention);
    wfs.create(ttl);
    wfs.create(kept);
    wfs.awaitStatus(ns, "kept", "Completed", Duration.ofSeconds(60));
    assertEquals(2, wfs.jobsOf(ns, "kept").size(), "kept until jobRetention.onSuccess has passed");
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .untilAsserted(() -> assertEquals(List.of(), wfs.jobsOf(ns, "kept")));
    assertEquals("Completed", wfs.status(ns, "kept"));
    assertEquals("all 2 steps succeeded", wfs.message(ns, "kept"));
    List<String> executed = new java.util.ArrayList<>();
    wfs.get(ns, "kept").getAsJsonObject("status").getAsJsonArray("executedSteps")
        .forEach(e -> executed.add(e.getAsString()));
    assertEquals(List.of("a", "b"), executed);
    assertEquals("Succeeded", Json.str(stepStatus(wfs, ns, "kept", "b"), "state"));
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      try {
        wfs.get(ns, "ttl");
        return false;
      } catch (io.kubernetes.client.openapi.ApiException e) {
        return e.getCode() == 404;
      }
    });
    assertEquals("Completed", wfs.status(ns, "kept"), "no Job re-created, the status unchanged");
    assertTrue(wfs.jobsOf(ns, "kept").isEmpty());
  }

  /** The steps of the Jobs the operator asked to create in {@code ns}, from the API's request log. */
  private List<String> createdSteps(String ns) {
    return cluster.server().recordedRequests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/apis/batch/v1/namespaces/" + ns + "/jobs"))
        .map(r -> Json.strings(com.google.gson.JsonParser.parseString(r.body()).getAsJsonObject(),
            "metadata", "labels").get(com.crd.workflow.core.Names.LABEL_STEP))
        .sorted().toList();
  }

  @Test
  @DisplayName("rerun after a failure runs the failed and skipped steps again and completes; the succeeded step's Job is created once")
  void rerunFromTheFailure() throws Exception {
    Workflows wfs = start();
    String ns = cluster.newNamespace("rerun");
    JsonObject wf = wfs.workflow(ns, "flaky", 60, Map.of(),
        List.of(step("a", "true"), step("b", "true", "a"), step("c", "true", "b")));
    // Both pods of b's first Job fail (backoffLimit 1); the third pod, in the re-run, succeeds.
    wf.getAsJsonObject("spec").getAsJsonArray("containers").get(1).getAsJsonObject()
        .addProperty("image", "busybox-fails-first-2");
    wfs.create(wf);
    wfs.awaitStatus(ns, "flaky", "Failed", Duration.ofSeconds(60));
    assertEquals("Skipped", Json.str(stepStatus(wfs, ns, "flaky", "c"), "state"));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int code = com.crd.workflow.cli.ClusterCommands.rerun(List.of("-n", ns, "flaky"),
        new java.io.PrintStream(bytes, true), Map.of("KUBECONFIG", cluster.kubeconfig().toString())::get,
        java.time.Clock.systemUTC());
    assertEquals(0, code, bytes.toString());
    wfs.awaitStatus(ns, "flaky", "Completed", Duration.ofSeconds(60));
    JsonObject status = wfs.get(ns, "flaky").getAsJsonObject("status");
    assertEquals(1, status.get("reruns").getAsInt());
    assertEquals(Json.str(wfs.get(ns, "flaky"), "metadata", "annotations",
        com.crd.workflow.core.Names.ANNOTATION_RERUN), Json.str(status, "rerunToken"));
    assertEquals(List.of("a", "b", "b", "c"), createdSteps(ns), "a ran once, b twice, c once");
  }
}
