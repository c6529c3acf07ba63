package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated Job controller's pods: one per attempt, owned by the Job, telling its story. */
class FakeApiPodsTest {
  @TempDir Path dir;
  FakeApiServer server;
  BatchV1Api batch;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer().start();
    ApiClient client = FakeApiFixtures.client(server, dir);
    batch = new BatchV1Api(client);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<JsonObject> pods(String job) {
    return server.list("pods", NS).stream()
        .filter(p -> job.equals(Json.str(Json.labels(p), "job-name"))).toList();
  }

  private JsonObject state(JsonObject pod) {
    return Json.at(pod, "status.containerStatuses").getAsJsonArray().get(0).getAsJsonObject()
        .getAsJsonObject("state");
  }

  private String jobCondition(String job) {
    JsonObject j = server.get("jobs", NS, job);
    var conditions = Json.array(Json.obj(j, "status"), "conditions");
    return conditions == null ? null
        : Json.str(conditions.get(conditions.size() - 1).getAsJsonObject(), "reason");
  }

  @Test
  @DisplayName("a Job's pod carries its labels and owner, and ends with the script's exit code")
  void exitCode() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("ends", "busybox", "sh", "-c", "exit 3")
        .spec(FakeApiFixtures.job("ends", "busybox", "sh", "-c", "exit 3").getSpec().backoffLimit(0)))
        .execute();
    await().atMost(Duration.ofSeconds(5)).until(() -> "BackoffLimitExceeded".equals(jobCondition("ends")));
    List<JsonObject> pods = pods("ends");
    assertEquals(1, pods.size());
    JsonObject pod = pods.get(0);
    assertTrue(Json.name(pod).startsWith("ends-"), Json.name(pod));
    assertEquals("ends", Json.str(Json.labels(pod), "batch.kubernetes.io/job-name"));
    JsonObject owner = Json.array(Json.meta(pod), "ownerReferences").get(0).getAsJsonObject();
    assertEquals("Job", Json.str(owner, "kind"));
    assertEquals(Json.uid(server.get("jobs", NS, "ends")), Json.str(owner, "uid"));
    assertEquals("Failed", Json.str(Json.obj(pod, "status"), "phase"));
    assertEquals(3, Json.num(Json.obj(state(pod), "terminated"), "exitCode"));
  }

  @Test
  @DisplayName("oom is OOMKilled with exit 137; exit-N exits N; each failed pod is replaced until the backoff limit")
  void magicImages() throws Exception {
    V1Job oom = FakeApiFixtures.job("oom", "registry.example/oom:1");
    oom.getSpec().backoffLimit(1);
    batch.createNamespacedJob(NS, oom).execute();
    batch.createNamespacedJob(NS, FakeApiFixtures.job("seven", "exit-7")).execute();
    await().atMost(Duration.ofSeconds(5)).until(() -> "BackoffLimitExceeded".equals(jobCondition("oom")));
    List<JsonObject> pods = pods("oom");
    assertEquals(2, pods.size(), "backoffLimit 1: two pods");
    for (JsonObject p : pods) {
      JsonObject t = Json.obj(state(p), "terminated");
      assertEquals("OOMKilled", Json.str(t, "reason"));
      assertEquals(137, Json.num(t, "exitCode"));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> "BackoffLimitExceeded".equals(jobCondition("seven")));
    assertEquals(7, Json.num(Json.obj(state(pods("seven").get(0)), "terminated"), "exitCode"));
  }

  @Test
  @DisplayName("pull-fail waits in ImagePullBackOff and unschedulable is never scheduled; both Jobs stay active")
  void neverStarts() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("pull", "pull-fail:1")).execute();
    batch.createNamespacedJob(NS, FakeApiFixtures.job("nodes", "unschedulable")).execute();
    await().atMost(Duration.ofSeconds(5)).until(() -> pods("pull").size() == 1
        && Json.at(pods("pull").get(0), "status.containerStatuses") != null
        && pods("nodes").size() == 1 && Json.obj(pods("nodes").get(0), "status") != null);
    JsonObject waiting = Json.obj(state(pods("pull").get(0)), "waiting");
    assertEquals("ImagePullBackOff", Json.str(waiting, "reason"));
    assertTrue(Json.str(waiting, "message").startsWith("Back-off pulling image \"pull-fail:1\""));
    JsonObject scheduled = Json.array(Json.obj(pods("nodes").get(0), "status"), "conditions")
        .get(0).getAsJsonObject();
    assertEquals("Unschedulable", Json.str(scheduled, "reason"));
    assertTrue(Json.str(scheduled, "message").startsWith("0/3 nodes are available"));
    assertNull(jobCondition("pull"));
    assertEquals(1, Json.num(Json.obj(server.get("jobs", NS, "pull"), "status"), "active"));
  }

  @Test
  @DisplayName("an evicted pod counts against the Job, unless its podFailurePolicy ignores DisruptionTarget")
  void evictions() throws Exception {
    V1Job counted = FakeApiFixtures.job("counted", "evicted-first-1");
    counted.getSpec().backoffLimit(0);
    V1Job ignored = FakeApiFixtures.job("ignored", "evicted-first-2");
    ignored.getSpec().backoffLimit(0).podFailurePolicy(new V1PodFailurePolicy().rules(List.of(
        new V1PodFailurePolicyRule().action("Ignore").onPodConditions(List.of(
            new V1PodFailurePolicyOnPodConditionsPattern().type("DisruptionTarget").status("True"))))));
    batch.createNamespacedJob(NS, counted).execute();
    batch.createNamespacedJob(NS, ignored).execute();
    await().atMost(Duration.ofSeconds(5)).until(() -> jobCondition("counted") != null
        && jobCondition("ignored") != null);
    assertEquals("BackoffLimitExceeded", jobCondition("counted"));
    assertEquals("CompletionsReached", jobCondition("ignored"));
    List<JsonObject> pods = pods("ignored");
    assertEquals(3, pods.size(), "two evicted pods, then one that ran");
    assertEquals(2, pods.stream().filter(p -> "Evicted".equals(Json.str(Json.obj(p, "status"), "reason"))).count());
    assertNull(Json.num(Json.obj(server.get("jobs", NS, "ignored"), "status"), "failed"),
        "ignored evictions are not failures");
  }

  @Test
  @DisplayName("deleting a Job in the background takes its pods with it")
  void collected() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("gone", "pull-fail")).execute();
    await().atMost(Duration.ofSeconds(5)).until(() -> pods("gone").size() == 1);
    server.delete("jobs", NS, "gone", "Background");
    await().atMost(Duration.ofSeconds(5)).until(() -> pods("gone").isEmpty());
  }
}
