package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.kube.Json;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The real operator retrying steps on the in-process API, whose Job controller runs images named
 * {@code fails-first-N} as flaky steps and honours backoffLimit and podFailurePolicy.
 *
 * <p>Each scenario has its own in-process API and operator, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class RetriesScenarioTest {
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void retries(JsonObject wf, int step, String json) {
    JsonObject c = wf.getAsJsonObject("spec").getAsJsonArray("containers").get(step).getAsJsonObject();
    c.add("retries", JsonParser.parseString(json.replace('\'', '"')));
  }

  private static void image(JsonObject wf, int step, String image) {
    wf.getAsJsonObject("spec").getAsJsonArray("containers").get(step).getAsJsonObject()
        .addProperty("image", image);
  }

  private List<JsonObject> attempts(Workflows wfs, String ns, String wf, String step) throws Exception {
    return wfs.jobsOf(ns, wf).stream().filter(j -> step.equals(Workflows.step(j)))
        .sorted(Comparator.comparingInt(RetriesScenarioTest::attempt)).toList();
  }

  private static int attempt(JsonObject job) {
    String a = Json.str(job, "metadata", "labels", Names.LABEL_ATTEMPT);
    return a == null ? 1 : Integer.parseInt(a);
  }

  private static Instant failedAt(JsonObject job) {
    JsonArray conditions = Json.obj(job, "status").getAsJsonArray("conditions");
    for (var e : conditions) {
      if ("Failed".equals(Json.str(e.getAsJsonObject(), "type"))) {
        return Instant.parse(Json.str(e.getAsJsonObject(), "lastTransitionTime"));
      }
    }
    throw new AssertionError("not failed: " + job);
  }

  @Test
  @DisplayName("a step that fails twice then succeeds completes, each attempt its own Job, the gaps at least the backoff,"
      + " and a kill -9 during a backoff neither skips it nor adds an attempt")
  void flakyStepCompletes() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "30s", "--lease-namespace", "default",
        "--lease-duration", "3s"));
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    String ns = cluster.newNamespace("retry");
    JsonObject wf = wfs.workflow(ns, "flaky", 60, Map.of(),
        List.of(step("test", "sleep 1"), step("after", "true", "test")));
    image(wf, 0, "busybox-fails-first-2");
    retries(wf, 0, "{'limit': 3, 'backoff': {'seconds': 3, 'factor': 1}}");
    cluster.setOperators(1);
    wfs.create(wf);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> wfs.message(ns, "flaky").contains("retrying: test"));
    cluster.setOperators(0); // SIGKILL in the middle of the first backoff
    cluster.setOperators(1);
    wfs.awaitStatus(ns, "flaky", "Completed", Duration.ofSeconds(120));
    List<JsonObject> tries = attempts(wfs, ns, "flaky", "test");
    assertEquals(List.of(1, 2, 3), tries.stream().map(RetriesScenarioTest::attempt).toList());
    for (int i = 1; i < tries.size(); i++) {
      Instant finished = failedAt(tries.get(i - 1));
      Instant created = Instant.parse(Json.str(tries.get(i), "metadata", "creationTimestamp"));
      assertFalse(created.isBefore(finished.plusSeconds(3)),
          "attempt " + (i + 1) + " created " + created + ", attempt " + i + " failed " + finished);
    }
    JsonObject status = wfs.get(ns, "flaky").getAsJsonObject("status");
    JsonObject test = status.getAsJsonArray("steps").get(1).getAsJsonObject();
    assertEquals("test", Json.str(test, "name"));
    assertEquals(3, test.get("attempts").getAsInt());
    assertEquals(1, attempts(wfs, ns, "flaky", "after").size());
  }

  @Test
  @DisplayName("exhausted retries fail with the attempt count; an exit code never to retry fails at once;"
      + " the steps after a failure are Skipped")
  void failures() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "30s", "--lease-namespace", "default",
        "--lease-duration", "3s"));
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    String ns = cluster.newNamespace("retry");
    JsonObject exhausted = wfs.workflow(ns, "exhausted", 60, Map.of(),
        List.of(step("test", "true"), step("after", "true", "test")));
    image(exhausted, 0, "busybox-fails-first-9");
    retries(exhausted, 0, "{'limit': 1, 'backoff': {'seconds': 1}}");
    JsonObject never = wfs.workflow(ns, "never", 60, Map.of(), List.of(step("test", "exit 2")));
    retries(never, 0, "{'limit': 3, 'backoff': {'seconds': 1}, 'neverOnExitCodes': [2]}");
    cluster.setOperators(1);
    wfs.create(exhausted);
    wfs.create(never);
    wfs.awaitStatus(ns, "exhausted", "Failed", Duration.ofSeconds(120));
    wfs.awaitStatus(ns, "never", "Failed", Duration.ofSeconds(120));
    assertEquals("step test failed: exit code 1 (attempt 2 of 2)", wfs.message(ns, "exhausted"));
    assertEquals(2, attempts(wfs, ns, "exhausted", "test").size());
    JsonObject after = wfs.get(ns, "exhausted").getAsJsonObject("status").getAsJsonArray("steps")
        .get(0).getAsJsonObject();
    assertEquals("after", Json.str(after, "name"));
    assertEquals("Skipped", Json.str(after, "state"));
    assertEquals("step test failed: exit code 2 (attempt 1 of 4, its exit code is not retried)",
        wfs.message(ns, "never"));
    assertEquals(1, attempts(wfs, ns, "never", "test").size());
  }
}
