package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated Job controller, observed through the real typed client. */
class FakeApiJobControllerTest {
  @TempDir Path dir;
  FakeApiServer server;
  BatchV1Api batch;

  private void start(FakeApiServer s) throws Exception {
    server = s.start();
    ApiClient client = FakeApiFixtures.client(server, dir);
    batch = new BatchV1Api(client);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private V1JobStatus awaitFinished(String name, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(25))
        .until(() -> conditionTypes(read(name)).contains("Complete") || conditionTypes(read(name)).contains("Failed"));
    return read(name).getStatus();
  }

  private V1Job read(String name) {
    try {
      return batch.readNamespacedJob(name, NS).execute();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> conditionTypes(V1Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return List.of();
    }
    return job.getStatus().getConditions().stream().map(V1JobCondition::getType).toList();
  }

  @Test
  void sleepingJobStartsThenCompletesWithKubernetes131Conditions() throws Exception {
    start(new FakeApiServer());
    long t0 = System.nanoTime();
    batch.createNamespacedJob(NS, FakeApiFixtures.shellJob("sleeper", "sleep 1; echo done")).execute();

    await().atMost(Duration.ofSeconds(2)).until(() -> read("sleeper").getStatus() != null);
    V1JobStatus started = read("sleeper").getStatus();
    assertNotNull(started.getStartTime());
    assertEquals(1, started.getActive());

    V1JobStatus done = awaitFinished("sleeper", Duration.ofSeconds(5));
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 1000, "ran for the sleep");
    assertEquals(1, done.getSucceeded());
    assertNull(done.getActive());
    assertNotNull(done.getCompletionTime());
    assertEquals(List.of("SuccessCriteriaMet", "Complete"), conditionTypes(read("sleeper")));
    V1JobCondition complete = done.getConditions().get(1);
    assertEquals("True", complete.getStatus());
    assertEquals("CompletionsReached", complete.getReason());
    assertEquals("Reached expected number of succeeded pods", complete.getMessage());
    assertNotNull(complete.getLastTransitionTime());
  }

  @Test
  void nonZeroExitRetriesUpToBackoffLimitThenFails() throws Exception {
    start(new FakeApiServer());
    V1Job job = FakeApiFixtures.shellJob("failing", "echo hi && exit 3");
    job.getSpec().backoffLimit(2);
    batch.createNamespacedJob(NS, job).execute();

    V1JobStatus failed = awaitFinished("failing", Duration.ofSeconds(5));
    assertEquals(3, failed.getFailed(), "backoffLimit + 1 attempts");
    assertNull(failed.getActive());
    assertNull(failed.getCompletionTime());
    assertEquals(List.of("FailureTarget", "Failed"), conditionTypes(read("failing")));
    assertEquals("BackoffLimitExceeded", failed.getConditions().get(1).getReason());
    assertEquals("Job has reached the specified backoff limit", failed.getConditions().get(1).getMessage());
  }

  @Test
  void unknownCommandExits127AndFails() throws Exception {
    start(new FakeApiServer());
    V1Job job = FakeApiFixtures.job("typo", "busybox", "definitely-not-a-command", "--flag");
    job.getSpec().backoffLimit(0);
    batch.createNamespacedJob(NS, job).execute();
    V1JobStatus failed = awaitFinished("typo", Duration.ofSeconds(3));
    assertEquals(1, failed.getFailed());
    assertEquals("BackoffLimitExceeded", failed.getConditions().get(1).getReason());
  }

  @Test
  void unpullableImageStaysActiveUntilTheDeadline() throws Exception {
    start(new FakeApiServer());
    V1Job job = FakeApiFixtures.job("stuck", "registry.example/unpullable:1", "true");
    job.getSpec().activeDeadlineSeconds(1L);
    batch.createNamespacedJob(NS, job).execute();

    await().atMost(Duration.ofSeconds(2)).until(() -> read("stuck").getStatus() != null);
    assertEquals(1, read("stuck").getStatus().getActive());
    assertEquals(0, read("stuck").getStatus().getReady());

    V1JobStatus failed = awaitFinished("stuck", Duration.ofSeconds(4));
    assertEquals(List.of("FailureTarget", "Failed"), conditionTypes(read("stuck")));
    assertEquals("DeadlineExceeded", failed.getConditions().get(1).getReason());
    assertEquals("Job was active longer than specified deadline", failed.getConditions().get(1).getMessage());
    assertNull(failed.getActive());
  }

  @Test
  void defaultEntrypointSucceeds() throws Exception {
    start(new FakeApiServer());
    batch.createNamespacedJob(NS, FakeApiFixtures.job("plain", "busybox")).execute();
    assertEquals(1, awaitFinished("plain", Duration.ofSeconds(3)).getSucceeded());
  }

  @Test
  void fakeClockDrivesRuntimeDeadlineAndTtl() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
    start(new FakeApiServer(clock));
    server.pauseJobController();
    V1Job job = FakeApiFixtures.shellJob("slow", "sleep 30");
    job.getSpec().ttlSecondsAfterFinished(60);
    batch.createNamespacedJob(NS, job).execute();

    server.tickJobController();
    assertEquals("2026-01-02T03:04:05Z", read("slow").getStatus().getStartTime().toInstant().toString());
    clock.advance(Duration.ofSeconds(29));
    server.tickJobController();
    assertNull(read("slow").getStatus().getSucceeded());
    clock.advance(Duration.ofSeconds(1));
    server.tickJobController();
    assertEquals(1, read("slow").getStatus().getSucceeded());

    clock.advance(Duration.ofSeconds(59));
    server.tickJobController();
    assertNotNull(server.get("jobs", NS, "slow"));
    clock.advance(Duration.ofSeconds(1));
    server.tickJobController();
    await().atMost(Duration.ofSeconds(1)).until(() -> server.get("jobs", NS, "slow") == null);
  }

  @Test
  void pausedControllerLeavesJobsAlone() throws Exception {
    start(new FakeApiServer());
    server.pauseJobController();
    batch.createNamespacedJob(NS, FakeApiFixtures.job("idle", "busybox", "true")).execute();
    String rv = read("idle").getMetadata().getResourceVersion();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
        .until(() -> read("idle").getStatus() == null);
    server.resumeJobController();
    await().atMost(Duration.ofSeconds(2)).until(() -> !read("idle").getMetadata().getResourceVersion().equals(rv));
    assertNotNull(read("idle").getStatus().getStartTime(), "status changes go through the store");
  }
}
