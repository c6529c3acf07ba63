package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real operator started with --max-running-steps, on the in-process API. */
class GlobalCapTest {
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @DisplayName("--max-running-steps 2 across 3 workflows: never more than 2 Jobs run, the two oldest start first, all complete")
  void capAcrossWorkflows() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "2s", "--lease-namespace", "default",
        "--lease-duration", "3s", "--max-running-steps", "2"));
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    cluster.setOperators(0); // all three exist before the first tick decides
    for (String name : List.of("a-old", "b-mid", "c-young")) {
      wfs.create(wfs.workflow("cap", name, 60, Map.of(),
          List.of(step("x", "sleep 2"), step("y", "sleep 2"))));
      Thread.sleep(1100); // creationTimestamp has second precision: make the ages distinct
    }
    cluster.setOperators(1);
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> List.of("a-old", "b-mid", "c-young").stream().allMatch(n -> {
          try {
            return "Completed".equals(wfs.status("cap", n));
          } catch (Exception e) {
            return false;
          }
        }));
    List<JsonObject> jobs = new ArrayList<>(wfs.jobs("cap").values());
    assertEquals(6, jobs.size());
    List<Instant[]> spans = new ArrayList<>();
    for (JsonObject j : jobs) {
      spans.add(new Instant[] {Instant.parse(Json.str(j, "status", "startTime")),
          Instant.parse(Json.str(j, "status", "completionTime"))});
    }
    for (Instant[] a : spans) {
      long together = spans.stream().filter(b -> !b[0].isAfter(a[0]) && b[1].isAfter(a[0])).count();
      assertTrue(together <= 2, together + " Jobs ran at once");
    }
    Instant youngStart = firstStart(wfs, "c-young");
    assertTrue(firstStart(wfs, "a-old").isBefore(youngStart), "the oldest starts before the youngest");
    assertTrue(firstStart(wfs, "b-mid").isBefore(youngStart), "fair share: one slot each to the two oldest");
  }

  private static Instant firstStart(Workflows wfs, String name) throws Exception {
    return wfs.jobsOf("cap", name).stream()
        .map(j -> Instant.parse(Json.str(j, "metadata", "creationTimestamp"))).min(Instant::compareTo).orElseThrow();
  }
}
