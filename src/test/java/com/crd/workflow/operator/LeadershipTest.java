package com.crd.workflow.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.JsonLeaseLock;
import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Leader election against the in-process Lease API, with 3 s leases as in the churn scenarios. */
class LeadershipTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private FakeApiServer server;
  private final List<Leadership> started = new ArrayList<>();

  @BeforeEach
  void start() {
    server = new FakeApiServer().start();
  }

  @AfterEach
  void stop() {
    started.forEach(Leadership::halt);
    server.close();
  }

  private Leadership candidate(String identity, List<String> changes) throws Exception {
    ApiClient c = Config.fromUrl(server.url());
    Duration timeout = Leadership.callTimeout(LEASE);
    c.setHttpClient(c.getHttpClient().newBuilder().callTimeout(timeout).readTimeout(timeout).build());
    Leadership l = new Leadership(new JsonLeaseLock(new KubeApi(c, null), "default", "workflow-operator"),
        identity, LEASE, leading -> changes.add(identity + (leading ? " leads" : " stops")));
    Thread t = new Thread(l, "election-" + identity);
    t.setDaemon(true);
    t.start();
    started.add(l);
    return l;
  }

  private String holder() {
    return Json.str(server.get("leases", "default", "workflow-operator"), "spec", "holderIdentity");
  }

  @Test
  @DisplayName("one of two candidates leads while the other waits; the leader dies silently: the other leads within one lease plus 1 s, measured")
  void takeOverAfterCrash() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    Leadership b = candidate("b", changes);
    Thread.sleep(LEASE.toMillis() + 500); // longer than a lease: b must still wait, a renews
    assertTrue(a.leading());
    assertFalse(b.leading());
    assertEquals("a", holder());
    assertEquals(List.of("a leads"), changes);
    assertNull(b.problem());
    long killed = System.nanoTime();
    a.halt();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(b::leading);
    Duration took = Duration.ofNanos(System.nanoTime() - killed);
    System.out.println("lease take-over after a silent leader: " + took.toMillis() + " ms");
    assertTrue(took.compareTo(LEASE.plusSeconds(1)) < 0, "took " + took);
    assertTrue(took.compareTo(LEASE.multipliedBy(2).dividedBy(3)) > 0,
        "took over before the old leader's renew deadline: " + took);
    assertEquals("b", holder());
  }

  @Test
  @DisplayName("release hands the lease over at once: the other leads within a second")
  void releaseHandsOver() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    Leadership b = candidate("b", changes);
    Thread.sleep(500);
    long released = System.nanoTime();
    a.release();
    assertFalse(a.leading());
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(b::leading);
    assertTrue(Duration.ofNanos(System.nanoTime() - released).toMillis() < 1000);
  }

  @Test
  @DisplayName("renewals that fail: the leader stops acting within the renew deadline, before anyone may take over")
  void failingRenewals() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    long from = System.nanoTime();
    server.failNext("PUT", "/leases/", 500, 100_000);
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> !a.leading());
    Duration took = Duration.ofNanos(System.nanoTime() - from);
    assertTrue(took.compareTo(LEASE.multipliedBy(2).dividedBy(3).plusMillis(200)) < 0, "took " + took);
    assertNotNull(a.problem());
    server.clearFaults();
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    assertNull(a.problem());
  }

  @Test
  @DisplayName("Lease calls slower than a third of the lease are abandoned, and the next try goes out at once")
  void slowCallsAbandoned() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    server.addLatency("*", "/leases/", Duration.ofMillis(1500), Duration.ofMillis(1500), 1.0);
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.leading());
    assertTrue(a.problem() != null && a.problem().contains("timeout"), a.problem());
    server.clearLatency();
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
  }

  @Test
  @DisplayName("50 to 700 ms of latency on half the Lease calls: the leader never loses the lease")
  void latencyKeepsLeader() throws Exception {
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(a::leading);
    Leadership b = candidate("b", changes);
    server.addLatency("*", "/leases/", Duration.ofMillis(50), Duration.ofMillis(700), 0.5);
    Thread.sleep(2 * LEASE.toMillis());
    assertEquals(List.of("a leads"), changes);
    assertFalse(b.leading());
  }

  @Test
  @DisplayName("no Lease API (404 on create): not leading, and the problem says what to fix")
  void noLeaseApi() throws Exception {
    server.failNext("*", "/leases", 404, 100_000);
    List<String> changes = new CopyOnWriteArrayList<>();
    Leadership a = candidate("a", changes);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.problem() != null);
    assertTrue(a.problem().contains("no Lease API"), a.problem());
    assertTrue(a.problem().contains("--leader-elect=false"), a.problem());
    Thread.sleep(1000);
    assertFalse(a.leading());
    assertEquals(List.of(), changes);
  }
}
