package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Owner references and propagation policies, processed asynchronously like the real collector. */
class FakeApiGarbageCollectionTest extends FakeApiTestBase {

  private String createWorkflow(String name) {
    return Json.uid(server.create("workflows", NS, FakeApiFixtures.workflowJson(name)));
  }

  private V1Job createOwnedJob(String name, String ownerName, String ownerUid) throws Exception {
    V1Job job = FakeApiFixtures.job(name, "busybox", "true");
    job.getMetadata().ownerReferences(List.of(new V1OwnerReference().apiVersion("workflow.crd.com/v1")
        .kind("Workflow").name(ownerName).uid(ownerUid).controller(true).blockOwnerDeletion(true)));
    return batch.createNamespacedJob(NS, job).execute();
  }

  @Test
  void deletingAnOwnerDeletesItsDependentsInTheBackground() throws Exception {
    String uid = createWorkflow("wf");
    createOwnedJob("wf-a", "wf", uid);
    createOwnedJob("wf-b", "wf", uid);
    batch.createNamespacedJob(NS, FakeApiFixtures.job("unrelated", "busybox", "true")).execute();

    custom.deleteNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows", "wf").execute();

    assertNull(server.get("workflows", NS, "wf"), "the owner goes at once");
    await().atMost(Duration.ofSeconds(2)).until(() -> server.list("jobs", NS).size() == 1);
    assertEquals("unrelated", Json.name(server.list("jobs", NS).get(0)));
    long deletedEvents = server.watchEvents("jobs").stream()
        .filter(e -> e.get("type").getAsString().equals("DELETED")).count();
    assertEquals(2, deletedEvents, "collection shows up as watch events");
  }

  @Test
  void dependentCreatedAfterItsOwnerWasDeletedIsCollected() throws Exception {
    String uid = createWorkflow("wf");
    server.delete("workflows", NS, "wf");
    createOwnedJob("late", "wf", uid);
    await().atMost(Duration.ofSeconds(2)).until(() -> server.get("jobs", NS, "late") == null);
  }

  @Test
  void orphanPolicyKeepsDependentsAndStripsTheirOwnerReference() throws Exception {
    String uid = createWorkflow("wf");
    createOwnedJob("wf-a", "wf", uid);

    custom.deleteNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows", "wf")
        .propagationPolicy("Orphan").execute();

    await().atMost(Duration.ofSeconds(2)).until(() -> server.get("workflows", NS, "wf") == null);
    JsonObject job = server.get("jobs", NS, "wf-a");
    assertNotNull(job);
    assertNull(job.getAsJsonObject("metadata").get("ownerReferences"));
  }

  @Test
  void foregroundDeletionWaitsForDependentsAndCascadesRecursively() throws Exception {
    String uid = createWorkflow("wf");
    V1Job job = createOwnedJob("wf-a", "wf", uid);
    JsonObject grandChild = FakeApiFixtures.workflowJson("grandchild");
    grandChild.getAsJsonObject("metadata").add("ownerReferences", Json.parse(
        "[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"wf-a\",\"uid\":\""
            + job.getMetadata().getUid() + "\"}]"));
    server.create("workflows", NS, grandChild);

    custom.deleteNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows", "wf")
        .propagationPolicy("Foreground").execute();

    JsonObject owner = server.get("workflows", NS, "wf");
    if (owner != null) {
      assertTrue(Json.hasFinalizer(owner, "foregroundDeletion"));
      assertNotNull(owner.getAsJsonObject("metadata").get("deletionTimestamp"));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> server.list("workflows", NS).isEmpty()
        && server.list("jobs", NS).isEmpty());
  }

  @Test
  void jobsDeletedWithoutAPolicyOrphanByDefaultLikeBatchV1() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    assertTrue(server.delete("jobs", NS, "a"));
    await().atMost(Duration.ofSeconds(2)).until(() -> server.get("jobs", NS, "a") == null);
    List<JsonObject> events = server.watchEvents("jobs");
    JsonObject marked = events.get(events.size() - 2);
    assertEquals("MODIFIED", marked.get("type").getAsString());
    assertTrue(Json.hasFinalizer(marked.getAsJsonObject("object"), "orphan"),
        "the orphan finalizer kept it until the collector ran");
    assertTrue(Json.hasDeletionTimestamp(marked.getAsJsonObject("object")));
    assertEquals("DELETED", events.get(events.size() - 1).get("type").getAsString());
  }
}
