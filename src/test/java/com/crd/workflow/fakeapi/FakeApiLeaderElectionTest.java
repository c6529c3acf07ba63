package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-java-extended's LeaderElector, which the operator uses, runs against the fake Lease API. */
class FakeApiLeaderElectionTest {
  @TempDir Path dir;

  @Test
  void leaderElectorAcquiresAndRenewsTheLease() throws Exception {
    try (FakeApiServer server = new FakeApiServer().start()) {
      ApiClient client = FakeApiFixtures.client(server, dir);
      LeaderElectionConfig config = new LeaderElectionConfig(new LeaseLock(NS, "workflow-operator", "pod-1", client),
          Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(100));
      CountDownLatch leading = new CountDownLatch(1);
      ExecutorService runner = Executors.newSingleThreadExecutor();
      try (LeaderElector elector = new LeaderElector(config)) {
        runner.submit(() -> elector.run(leading::countDown, () -> { }));
        assertEquals(true, leading.await(5, TimeUnit.SECONDS), "became leader");
        JsonObject lease = server.get("leases", NS, "workflow-operator");
        assertEquals("pod-1", lease.getAsJsonObject("spec").get("holderIdentity").getAsString());
        String firstRenew = lease.getAsJsonObject("spec").get("renewTime").getAsString();
        await().atMost(Duration.ofSeconds(3)).until(() -> !server.get("leases", NS, "workflow-operator")
            .getAsJsonObject("spec").get("renewTime").getAsString().equals(firstRenew));
      } finally {
        runner.shutdownNow();
      }
    }
  }
}
