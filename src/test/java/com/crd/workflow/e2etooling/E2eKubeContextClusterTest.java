package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.crd.workflow.e2e.KubeContextCluster;
import io.kubernetes.client.util.Config;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * KubeContextCluster's Deployment scaling, against a fake API with a toy ReplicaSet controller
 * (no cluster here): what the Kind suite relies on for its restart and two-instance scenarios.
 *
 * <p>Each case has its own fake cluster, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class E2eKubeContextClusterTest {
  private static final Duration READY_DELAY = Duration.ofMillis(1500);
  private static final Duration GRACE = Duration.ofSeconds(30); // deploy/: terminationGracePeriodSeconds
  private FakeOperatorCluster api;

  private KubeContextCluster connect(boolean hasDeployment) throws Exception {
    api = new FakeOperatorCluster(hasDeployment, 1, READY_DELAY, GRACE);
    return KubeContextCluster.connect(Config.fromUrl(api.url()));
  }

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
  }

  private List<String> writes() {
    return api.requests().stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  @Test
  @DisplayName("setOperators(0) is a crash: replicas 0, every operator pod force-deleted (grace 0), none left on return")
  void scaleToZeroIsACrash() throws Exception {
    KubeContextCluster cluster = connect(true);
    api.clearRequests();
    long start = System.nanoTime();
    cluster.setOperators(0);
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
        "did not wait out the 30 s grace period");
    assertEquals(0, api.replicas());
    assertArrayEquals(new int[] {0, 0, 0}, api.podCounts());
    assertTrue(writes().stream().anyMatch(r -> r.startsWith("PATCH " + FakeOperatorCluster.DEPLOYMENT)), writes().toString());
    List<String> deletes = writes().stream().filter(r -> r.startsWith("DELETE ")).toList();
    assertFalse(deletes.isEmpty(), "the operator pod was not deleted");
    assertTrue(deletes.stream().allMatch(r -> r.startsWith("DELETE " + FakeOperatorCluster.PODS + "/")
        && r.endsWith("?gracePeriodSeconds=0")), deletes.toString());
  }

  @Test
  @DisplayName("setOperators(1) after a crash returns only once a new operator pod is Ready")
  void scaleUpWaitsForReady() throws Exception {
    KubeContextCluster cluster = connect(true);
    cluster.setOperators(0);
    long start = System.nanoTime();
    cluster.setOperators(1);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(READY_DELAY) >= 0, "returned after " + took + ", before the pod was Ready");
    assertEquals(1, api.replicas());
    assertEquals(1, api.podCounts()[2]);
  }

  @Test
  @DisplayName("setOperators(n) at n Ready pods writes nothing (it runs before every scenario)")
  void noOpWhenAlreadyThere() throws Exception {
    KubeContextCluster cluster = connect(true);
    api.clearRequests();
    cluster.setOperators(1);
    assertEquals(List.of(), writes());
  }

  @Test
  @DisplayName("2 then 1: waits for two Ready pods, then scales down gracefully without deleting any pod itself")
  void twoThenOne() throws Exception {
    KubeContextCluster cluster = connect(true);
    cluster.setOperators(2);
    assertEquals(2, api.podCounts()[2]);
    api.clearRequests();
    cluster.setOperators(1);
    assertEquals(1, api.replicas());
    int[] counts = api.podCounts();
    assertEquals(1, counts[2], "one Ready operator");
    assertEquals(1, counts[1], "the other still terminating: a graceful scale-down");
    assertTrue(writes().stream().noneMatch(r -> r.startsWith("DELETE ")), writes().toString());
    api.clearRequests();
    cluster.setOperators(1); // the next scenario's call, while the old pod still terminates
    assertEquals(List.of(), writes());
  }

  @Test
  @DisplayName("close() deletes the test namespaces and leaves the operator at 1 replica")
  void closeCleansUp() throws Exception {
    KubeContextCluster cluster = connect(true);
    String ns = cluster.newNamespace("chain");
    cluster.setOperators(0);
    api.clearRequests();
    cluster.close();
    assertTrue(writes().stream().anyMatch(w -> w.equals("DELETE /api/v1/namespaces/" + ns)
        || w.startsWith("DELETE /api/v1/namespaces/" + ns + "?")), writes().toString());
    assertEquals(1, api.replicas());
  }

  @Test
  @DisplayName("it cannot count the operator's writes or ticks, so the suite skips that scenario")
  void noCounters() throws Exception {
    KubeContextCluster cluster = connect(true);
    assertEquals(OptionalLong.empty(), cluster.operatorWrites());
    assertEquals(OptionalLong.empty(), cluster.ticks());
    assertEquals("busybox:1.36", cluster.image());
    assertEquals(4, cluster.slowdown());
  }

  @Test
  @DisplayName("a context without the operator Deployment fails at once, saying to deploy it")
  void noDeployment() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> connect(false));
    assertTrue(e.getMessage().contains("kubectl apply -k deploy/"), e.getMessage());
  }
}
