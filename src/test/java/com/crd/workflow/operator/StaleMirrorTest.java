package com.crd.workflow.operator;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Applier;
import com.crd.workflow.kube.Decode;
import com.crd.workflow.kube.EventRecorder;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.metrics.Metrics;
import com.crd.workflow.observe.Mirror;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Writes never trust the mirror: a reconciler fed a deliberately stale mirror may only be late or
 * meet a 409. It never creates a second Job, never loses a step and never writes an older status
 * over a newer one.
 */
class StaleMirrorTest {
  private FakeApiServer server;
  private KubeApi api;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer().start();
    server.setJobControllerEnabled(false); // the test moves Job status itself
    api = new KubeApi(Config.fromUrl(server.url()), null);
    server.create("workflows", "ns", JsonParser.parseString("""
        {"apiVersion":"workflow.crd.com/v1","kind":"Workflow","metadata":{"name":"wf"},
         "spec":{"containers":[{"stepName":"a","image":"busybox"},
                               {"stepName":"b","image":"busybox","dependsOn":["a"]}]}}
        """).getAsJsonObject());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A mirror filled from the server now: it goes stale as soon as anything changes. */
  private Mirror snapshot() throws Exception {
    Mirror m = new Mirror(() -> { });
    List<com.crd.workflow.core.Workflow> wfs = new ArrayList<>();
    api.listInto(Paths.workflows(null), null, Decode.WORKFLOWS, wfs::add, bad -> fail(bad));
    m.replaceWorkflows(null, wfs);
    List<com.crd.workflow.core.ObservedJob> jobs = new ArrayList<>();
    api.listInto(Paths.jobs(null), Names.MANAGED_SELECTOR, Decode.JOBS, jobs::add, bad -> fail(bad));
    m.replaceJobs(null, jobs);
    return m;
  }

  private boolean tick(Mirror m) {
    Applier applier = new Applier(api, Clock.systemUTC(),
        new EventRecorder(api, Clock.systemUTC(), "test"), () -> true);
    return new Reconciler(m, () -> true, applier, new Metrics(), Clock.systemUTC(), d -> { })
        .tick(true);
  }

  private List<JsonObject> jobs(String step) {
    return server.list("jobs", "ns").stream()
        .filter(j -> step.equals(Json.strings(j, "metadata", "labels").get(Names.LABEL_STEP)))
        .toList();
  }

  private String status() {
    return Json.str(server.get("workflows", "ns", "wf"), "status", "workflow-status");
  }

  private void complete(String step) {
    String name = Json.str(jobs(step).get(0), "metadata", "name");
    server.mergePatchStatus("jobs", "ns", name, """
        {"status":{"startTime":"2026-01-01T00:00:00Z","completionTime":"2026-01-01T00:00:01Z",
         "succeeded":1,"conditions":[{"type":"Complete","status":"True",
         "lastTransitionTime":"2026-01-01T00:00:01Z"}]}}""");
  }

  @Test
  @DisplayName("a mirror that has not seen the Job it created: the retry meets 409, no second Job")
  void missedOwnCreate() throws Exception {
    Mirror stale = snapshot();
    assertTrue(tick(snapshot()));
    assertEquals(1, jobs("a").size());
    assertEquals("Started", status());
    String statusRv = Json.str(server.get("workflows", "ns", "wf"), "metadata", "resourceVersion");

    assertTrue(tick(stale), "409 on create means already done, not an error");
    assertEquals(1, jobs("a").size(), "no duplicate Job");
    assertEquals(statusRv, Json.str(server.get("workflows", "ns", "wf"), "metadata", "resourceVersion"),
        "the stale status write was refused by its resourceVersion precondition");
  }

  @Test
  @DisplayName("a Job's failure seen before its pod's end: the workflow is looked at again shortly,"
      + " not failed with only the Job's reason")
  void failureWaitsForItsPod() throws Exception {
    assertTrue(tick(snapshot()));
    String name = Json.str(jobs("a").get(0), "metadata", "name");
    String at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    server.mergePatchStatus("jobs", "ns", name, """
        {"status":{"startTime":"%s","failed":1,"conditions":[{"type":"Failed","status":"True",
         "reason":"BackoffLimitExceeded","lastTransitionTime":"%s"}]}}""".formatted(at, at));
    Applier applier = new Applier(api, Clock.systemUTC(),
        new EventRecorder(api, Clock.systemUTC(), "test"), () -> true);
    List<java.time.Duration> wakes = new ArrayList<>();
    Reconciler watching = new Reconciler(snapshot(), () -> true, applier, new Metrics(),
        Clock.systemUTC(), wakes::add).watchingPods(() -> true);
    assertTrue(watching.tick(false));
    assertEquals("Started", status(), "not failed yet: its pod's exit code may be on its way");
    assertFalse(wakes.isEmpty());
    assertTrue(wakes.get(0).compareTo(com.crd.workflow.core.PodGrace.WAIT) <= 0, "wakes " + wakes);

    assertTrue(tick(snapshot()), "where pods are not watched there is nothing to wait for");
    assertEquals("Failed", status());
  }

  @Test
  @DisplayName("a standby's rehearsal writes nothing and leaves the changes for its first tick as leader")
  void rehearsalWritesNothing() throws Exception {
    Mirror m = snapshot();
    Applier applier = new Applier(api, Clock.systemUTC(),
        new EventRecorder(api, Clock.systemUTC(), "test"), () -> true);
    Reconciler r = new Reconciler(m, () -> true, applier, new Metrics(), Clock.systemUTC(), d -> { });
    long writes = server.writes("jobs") + server.writes("workflows") + server.writes("events");
    r.rehearse();
    r.rehearse();
    assertEquals(writes, server.writes("jobs") + server.writes("workflows") + server.writes("events"));
    assertTrue(m.changed(), "what changed is still to be planned");
    assertTrue(r.tick(false));
    assertEquals(1, jobs("a").size(), "the first tick after the rehearsals acts");
  }

  @Test
  @DisplayName("a mirror that has not seen a step succeed: the next step is late, never lost or doubled")
  void missedCompletion() throws Exception {
    assertTrue(tick(snapshot()));
    Mirror stale = snapshot(); // a is running here
    complete("a");
    assertTrue(tick(stale));
    assertEquals(0, jobs("b").size(), "b waits while the mirror still sees a running");
    assertTrue(tick(snapshot()));
    assertEquals(1, jobs("b").size());
    assertTrue(tick(stale), "an older view after the newer one: still no harm");
    assertEquals(1, jobs("b").size());
    assertEquals(1, jobs("a").size());
    complete("b");
    assertTrue(tick(snapshot()));
    assertEquals("Completed", status());
  }
}
