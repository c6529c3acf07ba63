package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.Paths;
import com.google.gson.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLockTarget;

/**
 * The watch-fed mirror against the real operator process: watch gaps, events during a tick,
 * timers that do not wait for the period, resyncs, and servers whose watches misbehave. Every
 * scenario runs with a one-hour tick period unless it says otherwise, so only watch events,
 * timers and resyncs can move a workflow along in time.
 *
 * <p>Each scenario has its own in-process API and operator, so they run at once; the one that times a timer runs alone.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = MirrorScenariosTest.CPU, mode = ResourceAccessMode.READ, target = ResourceLockTarget.CHILDREN)
class MirrorScenariosTest {
  /** Held alone by the scenario that measures how late a timer fires. */
  static final String CPU = "the machine's CPU, for a timing";

  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Workflows start(String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("--leader-elect=false"));
    all.addAll(List.of(args));
    cluster = new InProcessCluster(all);
    cluster.setOperators(1);
    return new Workflows(cluster.api(), cluster.image());
  }

  private long lists(String resource) {
    return cluster.server().recordedRequests().stream()
        .filter(r -> r.method().equals("GET") && resource.equals(r.resource())
            && (r.query() == null || !r.query().contains("watch=true"))
            && r.path().endsWith("/" + resource))
        .count();
  }

  private long watches(String resource) {
    return cluster.server().recordedRequests().stream()
        .filter(r -> resource.equals(r.resource()) && r.query() != null
            && r.query().contains("watch=true"))
        .count();
  }

  /** A running Job as the operator makes them, for a workflow (named, with this uid) it names as owner. */
  private static JsonObject jobOf(String ns, String name, String workflow, String uid, boolean ours) {
    JsonObject job = com.google.gson.JsonParser.parseString("""
        {"apiVersion": "batch/v1", "kind": "Job",
         "metadata": {"name": "%s", "namespace": "%s", "labels": {}, "ownerReferences": [
           {"apiVersion": "%s/%s", "kind": "Workflow", "name": "%s", "uid": "%s", "controller": true}]},
         "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
           "containers": [{"name": "step", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 100"]}]}}}}
        """.formatted(name, ns, Names.GROUP, Names.VERSION, workflow, uid)).getAsJsonObject();
    if (ours) {
      JsonObject labels = Json.obj(job, "metadata", "labels");
      labels.addProperty(Names.LABEL_MANAGED_BY, Names.MANAGER);
      labels.addProperty(Names.LABEL_WORKFLOW, workflow);
      labels.addProperty(Names.LABEL_WORKFLOW_UID, uid);
      labels.addProperty(Names.LABEL_STEP, "a");
      labels.addProperty(Names.LABEL_SPEC_HASH, "0123456789abcdef");
    }
    return job;
  }

  @Test
  @DisplayName("a Job of ours whose workflow is gone is deleted once the API server, asked by name, says so; other Jobs are left alone")
  void orphanedJobsAreSwept() throws Exception {
    Workflows wfs = start("--tick-period", "1s");
    FakeApiServer api = cluster.server();
    // What a workflow deleted while no operator ran leaves when nothing collects its Jobs (the
    // in-process API's garbage collector only follows deletions it saw).
    cluster.api().create(Paths.jobs("orphans"), jobOf("orphans", "left-behind", "gone", "uid-gone", true));
    cluster.api().create(Paths.jobs("orphans"), jobOf("orphans", "not-ours", "gone", "uid-gone", false));
    await().atMost(Duration.ofSeconds(30)).until(() -> wfs.jobs("orphans").isEmpty());
    assertTrue(api.recordedRequests().stream().anyMatch(r -> r.method().equals("GET")
        && r.path().endsWith("/namespaces/orphans/workflows/gone")),
        "the operator asked the API server for the owner before deleting its Job");
    assertNotNull(api.get("jobs", "orphans", "not-ours"), "a Job without the operator's label is not its to delete");
  }

  @Test
  @DisplayName("a Job refused for good (403) fails only its workflow, with the reason; the others complete and the operator stays ready")
  void permanentRefusalStaysInItsWorkflow() throws Exception {
    Workflows wfs = start("--tick-period", "1s");
    FakeApiServer api = cluster.server();
    api.failNext("POST", "/namespaces/refused/jobs", 403, 1_000_000);
    wfs.create(wfs.workflow("refused", "quota", 60, Map.of(), List.of(step("a", "echo a"))));
    wfs.create(wfs.workflow("fine", "chain", 60, Map.of(),
        List.of(step("a", "echo a"), step("b", "echo b", "a"))));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("fine", "chain"))
            && "Failed".equals(wfs.status("refused", "quota")));
    JsonObject wf = api.get("workflows", "refused", "quota");
    assertTrue(Json.str(wf, "status", "message").startsWith(
        "step a cannot start: the API server refused its Job: HTTP 403"), Json.str(wf, "status", "message"));
    int port = cluster.operators().metricsPort();
    assertEquals(0, OperatorProcess.scrape(port, "workflow_operator_tick_errors_total", null).orElse(-1));
    assertEquals(1, OperatorProcess.scrape(port, "workflow_operator_actions_total",
        "action=\"CreateJob\",outcome=\"permanent\"").orElse(0));
    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());
  }

  @Test
  @DisplayName("the Workflow CRD missing: /readyz and the log say how to install it, once")
  void crdMissingIsExplained() throws Exception {
    cluster = new InProcessCluster(List.of("--leader-elect=false", "--tick-period", "1s"));
    cluster.server().failNext("GET", "/apis/workflow.crd.com/v1/workflows", 404, 1_000_000);
    cluster.setOperators(1);
    int port = cluster.operators().metricsPort();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 503 && r.body().contains("kubectl apply -f crd/workflow.yaml");
    });
    assertEquals(1, OperatorProcess.scrape(port, "workflow_operator_api_problem",
        "cause=\"crd_missing\"").orElse(0));
    long first = lists("workflows");
    await().atMost(Duration.ofSeconds(30)).until(() -> lists("workflows") >= first + 2); // retried twice more
    long lines = Files.readString(cluster.operators().logOfOldest()).lines()
        .filter(l -> l.contains("the Workflow CRD is not installed")).count();
    assertEquals(1, lines, "the cause is logged once, not once per retry");
  }

  private static JsonObject only(Workflows wfs, String ns) throws Exception {
    List<JsonObject> jobs = List.copyOf(wfs.jobs(ns).values());
    assertEquals(1, jobs.size());
    return jobs.get(0);
  }

  @Test
  @DisplayName("a watch that drops with 410 Gone in the middle of a run: the mirror re-lists and nothing is missed")
  void goneInTheMiddle() throws Exception {
    Workflows wfs = start("--tick-period", "1h");
    FakeApiServer api = cluster.server();
    wfs.create(wfs.workflow("gone", "chain", 60, Map.of(),
        List.of(step("a", "echo a"), step("b", "sleep 2", "a"), step("c", "echo c", "b"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> wfs.jobs("gone").size() == 2); // b runs
    long jobLists = lists("jobs");
    api.compactWatchHistory(); // resuming from any version seen so far now gets 410 Gone
    api.dropWatches();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("gone", "chain")));
    assertEquals(3, wfs.jobs("gone").size(), "one Job per step, none missed, none twice");
    assertTrue(lists("jobs") > jobLists, "the gap was closed by a new LIST");
  }

  @Test
  @DisplayName("an event that arrives during a tick: one more tick follows at once")
  void eventDuringTick() throws Exception {
    Workflows wfs = start("--tick-period", "1h");
    FakeApiServer api = cluster.server();
    api.delay("PATCH", "/status$", 2000, 1); // holds the next tick inside its status write
    wfs.create(wfs.workflow("busy", "first", 60, Map.of(), List.of(step("a", "sleep 30"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> api.recordedRequests().stream()
        .anyMatch(r -> r.method().equals("PATCH") && r.path().endsWith("/status")));
    Instant during = Instant.now();
    wfs.create(wfs.workflow("busy", "second", 60, Map.of(), List.of(step("a", "sleep 30"))));
    await().atMost(Duration.ofSeconds(10)).until(() -> wfs.jobsOf("busy", "second").size() == 1);
    assertTrue(Duration.between(during, Instant.now()).toSeconds() < 10,
        "the second workflow waited for the next tick, not for the period");
  }

  @Test
  @DisplayName("a tick held back while the mirror was still listing runs as soon as the last list is in, not a tick period later")
  void tickWaitsForTheLastListNotThePeriod() throws Exception {
    cluster = new InProcessCluster(List.of("--leader-elect=false", "--tick-period", "1h"));
    Workflows wfs = new Workflows(cluster.api(), cluster.image());
    // The pod list (empty: it puts nothing in the mirror) comes in 3 s after the others: the
    // workflow below is seen while it is still out, so the tick it wakes must wait.
    cluster.server().delay("GET", "/pods$", 3000, 1);
    cluster.setOperators(1);
    wfs.create(wfs.workflow("listing", "early", 60, Map.of(), List.of(step("a", "sleep 30"))));
    await().atMost(Duration.ofSeconds(20)).until(() -> wfs.jobs("listing").size() == 1);
  }

  @Test
  @DisplayName("a step timeout with a one-hour tick period: the timer, not the period, fails it on time")
  @ResourceLock(value = CPU, mode = ResourceAccessMode.READ_WRITE)
  void timerFailsStepOnTime() throws Exception {
    Workflows wfs = start("--tick-period", "1h");
    FakeApiServer api = cluster.server();
    wfs.create(wfs.workflow("timer", "slow", 3, Map.of(), List.of(step("a", "sleep 60"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> wfs.jobs("timer").size() == 1);
    api.pauseJobController(); // the Job itself never ends: only the operator's timer can
    JsonObject job = only(wfs, "timer");
    Instant created = Instant.parse(Json.str(job, "metadata", "creationTimestamp"));
    Instant started = Json.str(job, "status", "startTime") == null ? created
        : Instant.parse(Json.str(job, "status", "startTime"));
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
        .until(() -> "Failed".equals(wfs.status("timer", "slow")));
    JsonObject wf = api.get("workflows", "timer", "slow");
    assertEquals("step a timed out after 3s", Json.str(wf, "status", "message"));
    Instant failedAt = Instant.parse(Json.str(wf, "status", "status-changed"));
    Duration late = Duration.between(started.plusSeconds(3), failedAt);
    assertTrue(!late.isNegative() && late.compareTo(Duration.ofMillis(1500)) <= 0,
        "failed " + late.toMillis() + " ms after the timeout (the timestamps have 1 s resolution)");
  }

  @Test
  @DisplayName("a Job deleted by hand while the watch hangs: the next resync notices and the step runs again")
  void resyncNoticesDeletedJob() throws Exception {
    Workflows wfs = start("--tick-period", "1h", "--resync-period", "4s");
    FakeApiServer api = cluster.server();
    wfs.create(wfs.workflow("resync", "long", 600, Map.of(), List.of(step("a", "sleep 600"))));
    await().atMost(Duration.ofSeconds(30)).until(() -> wfs.jobs("resync").size() == 1);
    String uid = Json.str(only(wfs, "resync"), "metadata", "uid");
    String name = Json.str(only(wfs, "resync"), "metadata", "name");
    api.stallWatches("/jobs", 1000); // every new watch of Jobs hangs, silent
    api.dropWatches();
    await().atMost(Duration.ofSeconds(10)).until(() -> watches("jobs") >= 2);
    long listsBefore = lists("jobs");
    assertTrue(api.delete("jobs", "resync", name, "Background"));
    await().atMost(Duration.ofSeconds(20)).until(() -> wfs.jobs("resync").size() == 1
        && !uid.equals(Json.str(only(wfs, "resync"), "metadata", "uid")));
    assertEquals(name, Json.str(only(wfs, "resync"), "metadata", "name"));
    assertTrue(lists("jobs") > listsBefore, "a resync LIST found the deletion");
  }

  @Test
  @DisplayName("a watch answering 200 with a body that is not events: logged once, backed off, never spins")
  void garbageWatchNeverSpins() throws Exception {
    Workflows wfs = start("--tick-period", "1s");
    FakeApiServer api = cluster.server();
    api.garbageWatches("/workflows", 1_000_000);
    wfs.create(wfs.workflow("garbage", "chain", 60, Map.of(),
        List.of(step("a", "echo a"), step("b", "echo b", "a"))));
    long before = watches("workflows");
    Thread.sleep(5000); // a measurement window, not a wait for state: the request rate within it
    long inFiveSeconds = watches("workflows") - before;
    assertTrue(inFiveSeconds <= 10, inFiveSeconds + " watch requests in 5 s");
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("garbage", "chain")));
    String log = Files.readString(cluster.operators().logOfOldest());
    long warnings = log.lines().filter(l -> l.contains("not a watch event")).count();
    assertTrue(warnings >= 1 && warnings <= 2, warnings + " log lines about the bad stream");
  }

  @Test
  @DisplayName("a server that lists but refuses watches: re-list on the tick period, and say so in the log and /readyz")
  void listOnlyServer() throws Exception {
    Workflows wfs = start("--tick-period", "1s");
    FakeApiServer api = cluster.server();
    api.failNext("WATCH", "", 405, 1_000_000);
    wfs.create(wfs.workflow("listonly", "chain", 60, Map.of(),
        List.of(step("a", "echo a"), step("b", "echo b", "a"))));
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("listonly", "chain")));
    int port = cluster.operators().metricsPort();
    HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode());
    assertTrue(ready.body().contains("re-listing"), ready.body());
    assertTrue(Files.readString(cluster.operators().logOfOldest()).contains("re-listing"));
  }
}
