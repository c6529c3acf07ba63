package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Watch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watch streams as client-java's Watch consumes them. */
class FakeApiWatchTest extends FakeApiTestBase {
  ApiClient watchClient;

  @BeforeEach
  void startWatchClient() throws Exception {
    watchClient = FakeApiFixtures.watchClient(server, dir);
  }

  private Watch<V1Job> watchJobs(String resourceVersion, String labelSelector, Integer timeoutSeconds)
      throws Exception {
    return Watch.createWatch(watchClient,
        new BatchV1Api(watchClient).listNamespacedJob(NS).watch(true).resourceVersion(resourceVersion)
            .labelSelector(labelSelector).timeoutSeconds(timeoutSeconds).buildCall(null),
        new TypeToken<Watch.Response<V1Job>>() {}.getType());
  }

  /** Reads a watch on a background thread so the test can await events without blocking. */
  private static BlockingQueue<Watch.Response<V1Job>> drain(Watch<V1Job> watch, List<Throwable> failures) {
    BlockingQueue<Watch.Response<V1Job>> events = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try {
        for (Watch.Response<V1Job> e : watch) {
          events.add(e);
        }
      } catch (RuntimeException e) {
        failures.add(e);
      }
    });
    t.setDaemon(true);
    t.start();
    return events;
  }

  private static String next(BlockingQueue<Watch.Response<V1Job>> events) throws InterruptedException {
    Watch.Response<V1Job> e = events.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no watch event within 5 s");
    }
    return e.type + " " + e.object.getMetadata().getName();
  }

  @Test
  void watchWithoutResourceVersionStartsWithAddedForExistingObjectsThenStreamsChanges() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("existing", "busybox", "true")).execute();
    List<Throwable> failures = new ArrayList<>();
    try (Watch<V1Job> watch = watchJobs(null, null, null)) {
      BlockingQueue<Watch.Response<V1Job>> events = drain(watch, failures);
      assertEquals("ADDED existing", next(events));

      batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
      assertEquals("ADDED a", next(events));
      server.mergePatch("jobs", NS, "a", "{\"metadata\":{\"labels\":{\"k\":\"v\"}}}");
      Watch.Response<V1Job> modified = events.poll(5, TimeUnit.SECONDS);
      assertEquals("MODIFIED", modified.type);
      assertEquals("v", modified.object.getMetadata().getLabels().get("k"));
      batch.deleteNamespacedJob("a", NS).propagationPolicy("Background").execute();
      assertEquals("DELETED a", next(events));
      assertTrue(failures.isEmpty(), failures.toString());
    }
  }

  @Test
  void watchFromResourceVersionReplaysOnlyLaterChanges() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("before", "busybox", "true")).execute();
    String rv = batch.listNamespacedJob(NS).execute().getMetadata().getResourceVersion();
    batch.createNamespacedJob(NS, FakeApiFixtures.job("after", "busybox", "true")).execute();
    try (Watch<V1Job> watch = watchJobs(rv, null, null)) {
      BlockingQueue<Watch.Response<V1Job>> events = drain(watch, new ArrayList<>());
      assertEquals("ADDED after", next(events));
      assertEquals(null, events.poll(200, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void tooOldResourceVersionGetsA410ErrorEvent() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    batch.createNamespacedJob(NS, FakeApiFixtures.job("b", "busybox", "true")).execute();
    server.compactWatchHistory();
    try (Watch<V1Job> watch = watchJobs("1", null, null)) {
      assertTrue(watch.hasNext());
      Watch.Response<V1Job> error = watch.next();
      assertEquals("ERROR", error.type);
      V1Status status = error.status;
      assertEquals(410, status.getCode());
      assertEquals("Expired", status.getReason());
      assertFalse(watch.hasNext(), "the stream ends after the error");
    }
  }

  @Test
  void labelFilteredWatchSeesObjectsEnterAndLeaveTheSelection() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    try (Watch<V1Job> watch = watchJobs(server.resourceVersion(), "team=x", null)) {
      BlockingQueue<Watch.Response<V1Job>> events = drain(watch, new ArrayList<>());
      server.mergePatch("jobs", NS, "a", "{\"metadata\":{\"labels\":{\"team\":\"x\"}}}");
      assertEquals("ADDED a", next(events));
      server.mergePatch("jobs", NS, "a", "{\"metadata\":{\"labels\":{\"other\":\"1\"}}}");
      assertEquals("MODIFIED a", next(events));
      server.mergePatch("jobs", NS, "a", "{\"metadata\":{\"labels\":{\"team\":\"y\"}}}");
      assertEquals("DELETED a", next(events));
    }
  }

  @Test
  void timeoutSecondsEndsTheStreamCleanly() throws Exception {
    long start = System.nanoTime();
    try (Watch<V1Job> watch = watchJobs(server.resourceVersion(), null, 1)) {
      assertFalse(watch.hasNext());
    }
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 900);
    await().atMost(Duration.ofSeconds(2)).until(() -> server.openWatches() == 0);
  }

  @Test
  void dropWatchesCutsStreamsAbruptly() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    try (Watch<V1Job> watch = watchJobs(null, null, null)) {
      BlockingQueue<Watch.Response<V1Job>> events = drain(watch, failures);
      await().atMost(Duration.ofSeconds(2)).until(() -> server.openWatches() == 1);
      server.dropWatches();
      await().atMost(Duration.ofSeconds(2)).until(() -> !failures.isEmpty());
      // An abrupt cut is an IOException for the client, unlike a clean end of stream.
      assertTrue(failures.get(0).getCause() instanceof java.io.IOException, failures.toString());
      assertTrue(events.isEmpty());
    }
    assertEquals(0, server.openWatches());
  }

  @Test
  void watchesThatAllowBookmarksGetThemPeriodicallyWithTheCurrentVersion() throws Exception {
    server.setWatchBookmarkInterval(Duration.ofMillis(100));
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    String rv = server.resourceVersion();
    try (Watch<V1Job> watch = Watch.createWatch(watchClient,
        new BatchV1Api(watchClient).listNamespacedJob(NS).watch(true).resourceVersion(rv)
            .allowWatchBookmarks(true).buildCall(null),
        new TypeToken<Watch.Response<V1Job>>() {}.getType())) {
      Watch.Response<V1Job> bookmark = watch.next();
      assertEquals("BOOKMARK", bookmark.type);
      assertEquals(rv, bookmark.object.getMetadata().getResourceVersion());
      batch.createNamespacedJob(NS, FakeApiFixtures.job("b", "busybox", "true")).execute();
      Watch.Response<V1Job> next = watch.next();
      while (next.type.equals("BOOKMARK")) {
        next = watch.next();
      }
      assertEquals("ADDED b", next.type + " " + next.object.getMetadata().getName());
    }
  }

  @Test
  void customObjectWatchDeliversWorkflows() throws Exception {
    CustomObjectsApi custom = new CustomObjectsApi(watchClient);
    try (Watch<Object> watch = Watch.createWatch(watchClient,
        custom.listCustomObjectForAllNamespaces("workflow.crd.com", "v1", "workflows").watch(true).buildCall(null),
        new TypeToken<Watch.Response<Object>>() {}.getType())) {
      server.create("workflows", "ns1", FakeApiFixtures.workflowJson("wf"));
      Watch.Response<Object> e = watch.next();
      assertEquals("ADDED", e.type);
      assertEquals("Workflow", ((Map<?, ?>) e.object).get("kind"));
    }
  }

  @Test
  void watchOnUnknownResourceFailsLikeAnyRequest() {
    assertThrows(Exception.class, () -> Watch.createWatch(watchClient,
        new io.kubernetes.client.openapi.apis.CoreV1Api(watchClient).listNamespacedService(NS).watch(true)
            .buildCall(null),
        new TypeToken<Watch.Response<Object>>() {}.getType()));
  }
}
