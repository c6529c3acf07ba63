package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Config;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonLeaseLockTest {
  private FakeApiServer server;
  private JsonLeaseLock lock;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer().start();
    lock = new JsonLeaseLock(new KubeApi(Config.fromUrl(server.url()), null), "ops", "workflow-operator");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void storeLease(String specJson) {
    server.create("leases", "ops", JsonParser.parseString("""
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": {"name": "workflow-operator", "namespace": "ops",
                      "annotations": {"example.com/owner": "platform"}},
         "spec": %s}""".formatted(specJson)).getAsJsonObject());
  }

  @Test
  @DisplayName("no Lease yet: get answers null, create makes one with six-digit MicroTimes")
  void createsLease() throws Exception {
    assertNull(lock.get());
    Instant t = Instant.parse("2026-01-02T03:04:05.123456789Z");
    lock.create(new JsonLeaseLock.Record("pod-1", 15, t, t, 0));
    JsonObject spec = server.get("leases", "ops", "workflow-operator").getAsJsonObject("spec");
    assertEquals("pod-1", spec.get("holderIdentity").getAsString());
    assertEquals("2026-01-02T03:04:05.123456Z", spec.get("renewTime").getAsString());
    assertEquals(new JsonLeaseLock.Record("pod-1", 15, Instant.parse("2026-01-02T03:04:05.123456Z"),
        Instant.parse("2026-01-02T03:04:05.123456Z"), 0), lock.get());
  }

  @Test
  @DisplayName("fields this code does not know, in spec and metadata, survive an update")
  void unknownFieldsSurvive() throws Exception {
    storeLease("""
        {"holderIdentity": "pod-1", "leaseDurationSeconds": 15, "leaseTransitions": 2,
         "renewTime": "2026-01-02T03:04:05.000000Z", "strategy": "OldestEmulationVersion",
         "preferredHolder": "pod-2"}""");
    JsonLeaseLock.Record r = lock.get();
    assertEquals("pod-1", r.holder());
    lock.update(new JsonLeaseLock.Record("pod-1", 15, r.acquireTime(), Instant.now(), 2));
    JsonObject lease = server.get("leases", "ops", "workflow-operator");
    assertEquals("OldestEmulationVersion", lease.getAsJsonObject("spec").get("strategy").getAsString());
    assertEquals("pod-2", lease.getAsJsonObject("spec").get("preferredHolder").getAsString());
    assertEquals("platform", lease.getAsJsonObject("metadata").getAsJsonObject("annotations")
        .get("example.com/owner").getAsString());
  }

  @Test
  @DisplayName("an empty holder, as client-go writes on release, reads as free; no spec at all too")
  void emptyHolderIsFree() throws Exception {
    storeLease("{\"holderIdentity\": \"\", \"leaseDurationSeconds\": 1}");
    assertNull(lock.get().holder());
    server.delete("leases", "ops", "workflow-operator");
    server.create("leases", "ops", JsonParser.parseString("""
        {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
         "metadata": {"name": "workflow-operator", "namespace": "ops"}}""").getAsJsonObject());
    assertEquals(new JsonLeaseLock.Record(null, 0, null, null, 0), lock.get());
  }

  @Test
  @DisplayName("a release removes the holder field rather than writing an empty one")
  void releaseRemovesHolder() throws Exception {
    storeLease("{\"holderIdentity\": \"pod-1\", \"leaseDurationSeconds\": 15}");
    lock.get();
    lock.update(new JsonLeaseLock.Record(null, 1, null, null, 0));
    assertFalse(server.get("leases", "ops", "workflow-operator").getAsJsonObject("spec").has("holderIdentity"));
  }

  @Test
  @DisplayName("an update from a stale read is refused with 409: two candidates never both win")
  void staleUpdateConflicts() throws Exception {
    storeLease("{\"holderIdentity\": \"pod-1\", \"leaseDurationSeconds\": 15}");
    JsonLeaseLock other = new JsonLeaseLock(new KubeApi(Config.fromUrl(server.url()), null), "ops",
        "workflow-operator");
    lock.get();
    other.get();
    other.update(new JsonLeaseLock.Record("pod-2", 15, Instant.now(), Instant.now(), 1));
    ApiException e = assertThrows(ApiException.class,
        () -> lock.update(new JsonLeaseLock.Record("pod-3", 15, Instant.now(), Instant.now(), 1)));
    assertEquals(409, e.getCode());
    assertEquals("pod-2", lock.get().holder());
  }

  @Test
  @DisplayName("an update without a read first is a conflict, not a blind write")
  void updateWithoutRead() {
    assertEquals(409, assertThrows(ApiException.class,
        () -> lock.update(new JsonLeaseLock.Record("pod-1", 15, null, null, 0))).getCode());
  }
}
