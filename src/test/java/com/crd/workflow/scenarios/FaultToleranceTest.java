package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Real API-server misbehaviour, injected at the in-process API: lost responses, 409s, 5xx,
 * dropped watches, 410 Gone, and a graceful hand-over of the leader lease.
 *
 * <p>Each scenario has its own in-process API and operators, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultToleranceTest {
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Workflows start(List<String> args) throws Exception {
    cluster = args == null ? new InProcessCluster() : new InProcessCluster(args);
    return new Workflows(cluster.api(), cluster.image());
  }

  private static JsonObject chain(Workflows wfs, String ns, String name) {
    return wfs.workflow(ns, name, 60, Map.of(),
        List.of(step("a", "echo a"), step("b", "sleep 1", "a"), step("c", "echo c", "b")));
  }

  private static Set<String> steps(Workflows wfs, String ns, String name) throws Exception {
    return wfs.jobsOf(ns, name).stream().map(Workflows::step).collect(Collectors.toSet());
  }

  @Test
  @DisplayName("lost create responses: the deterministic name makes the retry a no-op, no duplicate Job")
  void lostCreateResponses() throws Exception {
    Workflows wfs = start(null);
    FakeApiServer api = cluster.server();
    api.loseNextResponses("POST", "/jobs", 3); // created, but the operator hears a 500
    cluster.setOperators(1);
    wfs.create(chain(wfs, "lost", "chain"));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("lost", "chain")));
    assertEquals(3, wfs.jobs("lost").size());
    assertEquals(Set.of("a", "b", "c"), steps(wfs, "lost", "chain"));
  }

  @Test
  @DisplayName("status writes that conflict or fail are retried on a later tick")
  void statusConflictsAndServerErrors() throws Exception {
    Workflows wfs = start(null);
    FakeApiServer api = cluster.server();
    api.failNext("PATCH", "/status", 409, 3);
    api.failNext("PATCH", "/status", 500, 2);
    api.failNext("GET", "/jobs", 503, 2);
    cluster.setOperators(1);
    wfs.create(chain(wfs, "flaky", "chain"));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("flaky", "chain")));
    assertEquals(3, wfs.jobs("flaky").size());
  }

  @Test
  @DisplayName("a Job name taken by a foreign Job: only that workflow fails (JobNameTaken), its neighbour completes")
  void foreignJobNameTaken() throws Exception {
    Workflows wfs = start(null);
    JsonObject created = wfs.create(wfs.workflow("taken", "victim", 60, Map.of(), List.of(step("a", "echo a"))));
    com.crd.workflow.core.Workflow victim = com.crd.workflow.kube.Convert.workflow(created);
    String name = com.crd.workflow.core.Names.jobName(victim.name(), victim.uid(), "a",
        com.crd.workflow.core.Names.specHash(com.crd.workflow.kube.Convert.spec(created.get("spec"))));
    // Someone else's Job under exactly that name, without the operator's labels.
    cluster.server().create("jobs", "taken", com.google.gson.JsonParser.parseString("""
        {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "%s"},
         "spec": {"template": {"spec": {"restartPolicy": "Never",
           "containers": [{"name": "x", "image": "busybox:1.36", "command": ["sleep", "60"]}]}}}}
        """.formatted(name)).getAsJsonObject());
    wfs.create(chain(wfs, "taken", "neighbour"));
    cluster.setOperators(1);
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Failed".equals(wfs.status("taken", "victim")));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("taken", "neighbour")));
    assertEquals(0, wfs.jobsOf("taken", "victim").size());
  }

  @Test
  @DisplayName("dropped watches and 410 Gone: the operator re-watches and still reacts at once")
  void droppedWatches() throws Exception {
    // A 1-hour period: only watch events can move the workflow along in time.
    Workflows wfs = start(List.of("--tick-period", "1h", "--leader-elect=false"));
    FakeApiServer api = cluster.server();
    cluster.setOperators(1);
    wfs.create(wfs.workflow("watch", "first", 60, Map.of(), List.of(step("a", "echo"))));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("watch", "first")));
    api.compactWatchHistory();
    api.dropWatches();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.openWatches() >= 2);
    wfs.create(chain(wfs, "watch", "second"));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("watch", "second")));
  }

  @Test
  @DisplayName("SIGTERM on the leader hands the lease over long before it would expire")
  void gracefulHandOver() throws Exception {
    Workflows wfs = start(List.of("--tick-period", "2s", "--lease-namespace", "default",
        "--lease-duration", "60s"));
    cluster.setOperators(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
    String first = holder();
    cluster.setOperators(2); // the second waits: the lease is held for 60s
    cluster.stopFirstGracefully();
    await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null && !first.equals(holder()));
    wfs.create(chain(wfs, "handover", "chain"));
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("handover", "chain")));
  }

  @Test
  @DisplayName("no Lease API: the operator does not act, says why in its log and /readyz, and leads once Leases work")
  void noLeaseApi() throws Exception {
    Workflows wfs = start(null);
    cluster.server().failNext("*", "/leases", 404, 100_000);
    cluster.setOperators(1);
    wfs.create(chain(wfs, "nolease", "chain"));
    int port = cluster.operators().metricsPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> readyz(port).contains("no Lease API"));
    assertTrue(readyz(port).startsWith("503"), readyz(port));
    assertEquals(0, wfs.jobs("nolease").size(), "two replicas without a lease would both act");
    String log = java.nio.file.Files.readString(cluster.operators().logOfOldest());
    assertEquals(1, log.lines().filter(l -> l.contains("leader election cannot proceed")).count(), log);
    cluster.server().clearFaults();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("nolease", "chain")));
    assertEquals(3, wfs.jobs("nolease").size());
  }

  private static String readyz(int port) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  @DisplayName("a second instance whose metrics port is taken still runs, on another port")
  void metricsPortTaken() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Workflows wfs = start(List.of("--tick-period", "2s", "--lease-namespace", "default",
        "--lease-duration", "3s", "--metrics-port", String.valueOf(port)));
    cluster.setOperators(2);
    assertEquals(port, cluster.operators().metricsPort());
    cluster.stopFirstGracefully(); // the one on the configured port: the other must take over
    wfs.create(chain(wfs, "ports", "chain"));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("ports", "chain")));
    assertNotEquals(port, cluster.operators().metricsPort());
  }

  private String holder() {
    JsonObject lease = cluster.server().get("leases", "default", "workflow-operator");
    String h = lease == null ? null : Json.str(lease, "spec", "holderIdentity");
    return h == null || h.isEmpty() ? null : h;
  }
}
