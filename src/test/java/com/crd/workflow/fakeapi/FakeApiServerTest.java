package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static com.crd.workflow.fakeapi.FakeApiFixtures.assertApiError;
import static com.crd.workflow.fakeapi.FakeApiFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CRUD, list, patch and optimistic-concurrency semantics, all through the real client-java. */
class FakeApiServerTest extends FakeApiTestBase {

  private V1Job mergePatchJob(String name, String patch) throws ApiException {
    return PatchUtils.patch(V1Job.class,
        () -> batch.patchNamespacedJob(name, NS, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  private V1Job mergePatchJobStatus(String name, String patch) throws ApiException {
    return PatchUtils.patch(V1Job.class,
        () -> batch.patchNamespacedJobStatus(name, NS, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> mergePatchWorkflow(String name, String patch, boolean status) throws ApiException {
    return PatchUtils.patch(Map.class, () -> status
            ? custom.patchNamespacedCustomObjectStatus("workflow.crd.com", "v1", NS, "workflows", name,
                new V1Patch(patch)).buildCall(null)
            : custom.patchNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows", name,
                new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  @Test
  void kubeconfigWorksWithConfigFromConfig() throws Exception {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("sub/config"));
    ApiClient fromFile = Config.fromConfig(kubeconfig.toString());
    assertEquals(server.url(), fromFile.getBasePath());
    assertEquals(0, new BatchV1Api(fromFile).listNamespacedJob(NS).execute().getItems().size());
  }

  @Test
  void createSetsServerFieldsAndDropsStatus() throws Exception {
    V1Job job = FakeApiFixtures.job("a", "busybox:1.36", "true");
    job.setStatus(new io.kubernetes.client.openapi.models.V1JobStatus().succeeded(5));
    V1Job created = batch.createNamespacedJob(NS, job).execute();

    assertEquals("batch/v1", created.getApiVersion());
    assertEquals("Job", created.getKind());
    assertEquals(NS, created.getMetadata().getNamespace());
    assertNotNull(created.getMetadata().getUid());
    assertEquals(1L, created.getMetadata().getGeneration());
    assertNotNull(created.getMetadata().getCreationTimestamp());
    assertEquals(0, created.getMetadata().getCreationTimestamp().getNano(), "second precision");
    assertNull(created.getStatus(), "status is a subresource: dropped on create");
    assertEquals(6, created.getSpec().getBackoffLimit(), "defaulted like a real server");
    assertEquals("a", created.getSpec().getTemplate().getMetadata().getLabels().get("job-name"));
    assertEquals(created.getMetadata().getResourceVersion(), server.resourceVersion());

    V1Job read = batch.readNamespacedJob("a", NS).execute();
    assertEquals(created, read);
  }

  @Test
  void duplicateCreateIs409AlreadyExistsAndMissingIs404NotFound() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    ApiException dup = assertApiError(409,
        () -> batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute());
    assertEquals("AlreadyExists", status(dup).getReason());
    assertEquals("jobs.batch \"a\" already exists", status(dup).getMessage());

    ApiException missing = assertApiError(404, () -> batch.readNamespacedJob("x", NS).execute());
    V1Status s = status(missing);
    assertEquals("NotFound", s.getReason());
    assertEquals("jobs.batch \"x\" not found", s.getMessage());
    assertEquals("jobs", s.getDetails().getKind());
    assertEquals("batch", s.getDetails().getGroup());
    assertEquals("x", s.getDetails().getName());
  }

  @Test
  void generateNameAndValidation() throws Exception {
    V1Job job = FakeApiFixtures.job(null, "busybox", "true");
    job.getMetadata().generateName("run-");
    V1Job created = batch.createNamespacedJob(NS, job).execute();
    assertTrue(created.getMetadata().getName().matches("run-[a-z0-9]{5}"), created.getMetadata().getName());

    V1Job noRestartPolicy = FakeApiFixtures.job("b", "busybox", "true");
    noRestartPolicy.getSpec().getTemplate().getSpec().setRestartPolicy(null);
    ApiException invalid = assertApiError(422, () -> batch.createNamespacedJob(NS, noRestartPolicy).execute());
    assertEquals("Invalid", status(invalid).getReason());

    assertApiError(422, () -> batch.createNamespacedJob(NS, FakeApiFixtures.job("Bad_Name", "busybox")).execute());
  }

  @Test
  void listFiltersByLabelSelectorsSortedByNamespaceAndName() throws Exception {
    custom.createNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows",
        FakeApiFixtures.workflow("b", Map.of("team", "x", "tier", "1"))).execute();
    custom.createNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows",
        FakeApiFixtures.workflow("a", Map.of("team", "y"))).execute();
    custom.createNamespacedCustomObject("workflow.crd.com", "v1", "other", "workflows",
        FakeApiFixtures.workflow("c", Map.of("team", "x"))).execute();

    assertEquals(List.of("a", "b"), workflowNames(NS, null, null));
    assertEquals(List.of("b", "c"), workflowNames(null, "team=x", null));
    assertEquals(List.of("a"), workflowNames(null, "team!=x", null));
    assertEquals(List.of("a", "b", "c"), workflowNames(null, "team in (x, y)", null));
    assertEquals(List.of("a"), workflowNames(null, "team notin (x)", null));
    assertEquals(List.of("b"), workflowNames(null, "tier", null));
    assertEquals(List.of("a", "c"), workflowNames(null, "!tier", null));
    assertEquals(List.of("b"), workflowNames(null, "team==x,tier=1", null));
    assertApiError(400, () -> workflowNames(NS, "team in (x", null));
    assertEquals(List.of("b"), workflowNames(NS, null, "metadata.name=b"));
    assertEquals(List.of("a"), workflowNames(null, "team=y", "metadata.namespace=" + NS));
    assertApiError(400, () -> workflowNames(NS, null, "spec.maxStepTimeout=5")); // not indexed: said, not ignored
  }

  @SuppressWarnings("unchecked")
  private List<String> workflowNames(String ns, String labels, String fields) throws ApiException {
    Map<String, Object> list = (Map<String, Object>) (ns == null
        ? custom.listCustomObjectForAllNamespaces("workflow.crd.com", "v1", "workflows")
            .labelSelector(labels).fieldSelector(fields).execute()
        : custom.listNamespacedCustomObject("workflow.crd.com", "v1", ns, "workflows")
            .labelSelector(labels).fieldSelector(fields).execute());
    assertEquals("WorkflowList", list.get("kind"));
    assertNotNull(((Map<String, Object>) list.get("metadata")).get("resourceVersion"));
    return ((List<Map<String, Object>>) list.get("items")).stream()
        .peek(i -> assertEquals("Workflow", i.get("kind")))
        .map(i -> (String) ((Map<String, Object>) i.get("metadata")).get("name"))
        .toList();
  }

  @Test
  void typedJobListCarriesItemsAndPagination() throws Exception {
    for (String n : List.of("c", "a", "b")) {
      batch.createNamespacedJob(NS, FakeApiFixtures.job(n, "busybox", "true")).execute();
    }
    V1JobList first = batch.listNamespacedJob(NS).limit(2).execute();
    assertEquals(List.of("a", "b"), first.getItems().stream().map(j -> j.getMetadata().getName()).toList());
    assertEquals(1L, first.getMetadata().getRemainingItemCount());
    V1JobList rest = batch.listNamespacedJob(NS).limit(2)._continue(first.getMetadata().getContinue()).execute();
    assertEquals(List.of("c"), rest.getItems().stream().map(j -> j.getMetadata().getName()).toList());
    assertNull(rest.getMetadata().getContinue());
  }

  @Test
  void mergePatchOnMainResourceIgnoresStatusAndBumpsGenerationOnlyForSpec() throws Exception {
    custom.createNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows",
        FakeApiFixtures.workflow("wf", null)).execute();
    String rv0 = server.resourceVersion();

    Map<String, Object> labelled = mergePatchWorkflow("wf",
        "{\"metadata\":{\"labels\":{\"k\":\"v\"}},\"status\":{\"phase\":\"Hacked\"}}", false);
    assertEquals(1.0, meta(labelled).get("generation"));
    assertNull(labelled.get("status"), "status is ignored on the main resource");
    assertNotEquals(rv0, meta(labelled).get("resourceVersion"));

    Map<String, Object> respec = mergePatchWorkflow("wf", "{\"spec\":{\"parallelism\":2}}", false);
    assertEquals(2.0, meta(respec).get("generation"));

    Map<String, Object> withStatus = mergePatchWorkflow("wf",
        "{\"status\":{\"phase\":\"Running\"},\"spec\":{\"parallelism\":9}}", true);
    assertEquals(Map.of("phase", "Running"), withStatus.get("status"));
    assertEquals(2.0, meta(withStatus).get("generation"), "status writes never bump generation");
    assertEquals(2.0, ((Map<?, ?>) withStatus.get("spec")).get("parallelism"), "spec ignored on /status");
  }

  @Test
  void noOpPatchKeepsResourceVersionAndRecordsNoEvent() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    V1Job labelled = mergePatchJob("a", "{\"metadata\":{\"labels\":{\"k\":\"v\"}}}");
    int events = server.watchEvents("jobs").size();
    V1Job again = mergePatchJob("a", "{\"metadata\":{\"labels\":{\"k\":\"v\"}}}");
    assertEquals(labelled.getMetadata().getResourceVersion(), again.getMetadata().getResourceVersion());
    assertEquals(events, server.watchEvents("jobs").size());
  }

  @Test
  void jobStatusPatchGoesThroughStatusSubresourceOnly() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    V1Job ignored = mergePatchJob("a", "{\"status\":{\"succeeded\":1}}");
    assertNull(ignored.getStatus());
    V1Job patched = mergePatchJobStatus("a", "{\"status\":{\"succeeded\":1}}");
    assertEquals(1, patched.getStatus().getSucceeded());
    assertEquals(1L, patched.getMetadata().getGeneration());
  }

  @Test
  void staleResourceVersionInMergePatchIs409Conflict() throws Exception {
    V1Job created = batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    String stale = created.getMetadata().getResourceVersion();
    mergePatchJob("a", "{\"metadata\":{\"labels\":{\"k\":\"1\"}}}");

    ApiException conflict = assertApiError(409, () -> mergePatchJob("a",
        "{\"metadata\":{\"resourceVersion\":\"" + stale + "\",\"labels\":{\"k\":\"2\"}}}"));
    assertEquals("Conflict", status(conflict).getReason());
    assertTrue(status(conflict).getMessage().contains("the object has been modified"));
    assertEquals("1", server.get("jobs", NS, "a").getAsJsonObject("metadata")
        .getAsJsonObject("labels").get("k").getAsString());

    String current = server.get("jobs", NS, "a").getAsJsonObject("metadata").get("resourceVersion").getAsString();
    V1Job ok = mergePatchJob("a", "{\"metadata\":{\"resourceVersion\":\"" + current + "\",\"labels\":{\"k\":\"3\"}}}");
    assertEquals("3", ok.getMetadata().getLabels().get("k"));
  }

  @Test
  void putNeedsMatchingResourceVersionAndCustomResourcesNeedOne() throws Exception {
    V1Job created = batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    created.getMetadata().putLabelsItem("k", "v");
    V1Job replaced = batch.replaceNamespacedJob("a", NS, created).execute();
    assertEquals("v", replaced.getMetadata().getLabels().get("k"));
    assertApiError(409, () -> batch.replaceNamespacedJob("a", NS, created).execute());

    custom.createNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows",
        FakeApiFixtures.workflow("wf", null)).execute();
    assertApiError(422, () -> custom.replaceNamespacedCustomObject("workflow.crd.com", "v1", NS, "workflows", "wf",
        FakeApiFixtures.workflow("wf", Map.of("a", "b"))).execute());
  }

  @Test
  void onlyMergePatchIsEmulated() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    for (String format : List.of(V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, V1Patch.PATCH_FORMAT_JSON_PATCH,
        V1Patch.PATCH_FORMAT_APPLY_YAML)) {
      ApiException unsupported = assertApiError(415, () -> PatchUtils.patch(V1Job.class,
          () -> batch.patchNamespacedJob("a", NS, new V1Patch("{}")).buildCall(null), format, client));
      assertEquals("UnsupportedMediaType", status(unsupported).getReason(), format);
    }
    assertApiError(404, () -> mergePatchJob("missing", "{}"));
  }

  @Test
  void finalizersKeepADeletedObjectUntilRemoved() throws Exception {
    V1Job job = FakeApiFixtures.job("a", "busybox", "true");
    job.getMetadata().finalizers(List.of("example.com/keep"));
    batch.createNamespacedJob(NS, job).execute();

    batch.deleteNamespacedJob("a", NS).propagationPolicy("Background").execute();
    V1Job terminating = batch.readNamespacedJob("a", NS).execute();
    assertNotNull(terminating.getMetadata().getDeletionTimestamp());
    assertEquals(2L, terminating.getMetadata().getGeneration(), "deletion bumps generation");
    OffsetDateTime firstDeletion = terminating.getMetadata().getDeletionTimestamp();

    assertApiError(422, () -> mergePatchJob("a", "{\"metadata\":{\"finalizers\":[\"example.com/keep\",\"new\"]}}"));
    mergePatchJob("a", "{\"metadata\":{\"finalizers\":null}}");
    assertNull(server.get("jobs", NS, "a"));
    assertEquals("DELETED", server.watchEvents("jobs").get(server.watchEvents("jobs").size() - 1)
        .get("type").getAsString());
    assertNotNull(firstDeletion);
  }

  @Test
  void deleteReturnsStatusSuccessAndMissingIs404() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    V1Status ok = batch.deleteNamespacedJob("a", NS).propagationPolicy("Background").execute();
    assertEquals("Success", ok.getStatus());
    assertEquals("a", ok.getDetails().getName());
    assertNull(server.get("jobs", NS, "a"));
    assertApiError(404, () -> batch.deleteNamespacedJob("a", NS).execute());
  }

  @Test
  void leasesSupportCreateReplaceAndConflicts() throws Exception {
    CoordinationV1Api coordination = new CoordinationV1Api(client);
    V1Lease lease = new V1Lease().metadata(new V1ObjectMeta().name("leader"))
        .spec(new V1LeaseSpec().holderIdentity("me").leaseDurationSeconds(15)
            .renewTime(OffsetDateTime.parse("2026-01-02T03:04:05.123456Z")));
    V1Lease created = coordination.createNamespacedLease(NS, lease).execute();
    assertNull(created.getMetadata().getGeneration(), "leases are not generational");
    assertApiError(409, () -> coordination.createNamespacedLease(NS, lease).execute());

    created.getSpec().holderIdentity("you");
    V1Lease replaced = coordination.replaceNamespacedLease("leader", NS, created).execute();
    assertEquals("you", replaced.getSpec().getHolderIdentity());
    assertEquals(created.getMetadata().getUid(), replaced.getMetadata().getUid());
    assertEquals(lease.getSpec().getRenewTime(), replaced.getSpec().getRenewTime());
    assertApiError(409, () -> coordination.replaceNamespacedLease("leader", NS, created).execute());
    assertApiError(404, () -> new CoordinationV1Api(client).readNamespacedLease("nope", NS).execute());
  }

  @Test
  void eventsCanBeRecordedAndListed() throws Exception {
    CoreV1Api core = new CoreV1Api(client);
    CoreV1Event event = new CoreV1Event()
        .metadata(new V1ObjectMeta().name("wf.1"))
        .involvedObject(new V1ObjectReference().kind("Workflow").name("wf").namespace(NS))
        .reason("Started").message("hello").type("Normal").count(1);
    core.createNamespacedEvent(NS, event).execute();
    assertEquals(1, core.listNamespacedEvent(NS).execute().getItems().size());
    assertEquals(1, core.listEventForAllNamespaces().execute().getItems().size());
  }

  @Test
  void unknownPathsAre404Status() throws Exception {
    assertApiError(404, () -> new CoreV1Api(client).listNamespacedService(NS).execute());
  }

  @Test
  void directStoreAccessFollowsTheSameRules() {
    JsonObject wf = server.create("workflows", NS, FakeApiFixtures.workflowJson("wf"));
    assertEquals("1", wf.getAsJsonObject("metadata").get("generation").getAsString());
    JsonObject patched = server.mergePatchStatus("workflows", NS, "wf", "{\"status\":{\"phase\":\"Done\"}}");
    assertEquals("Done", patched.getAsJsonObject("status").get("phase").getAsString());
    assertEquals(1, server.list("workflows", null).size());
    assertTrue(server.delete("workflows", NS, "wf"));
    assertFalse(server.delete("workflows", NS, "wf"));
    ApiError e = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
        () -> server.create("workflows", NS, FakeApiFixtures.workflowJson("Bad Name")));
    assertEquals(422, e.code());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }
}
