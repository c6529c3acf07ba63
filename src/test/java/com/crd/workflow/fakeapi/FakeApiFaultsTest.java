package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static com.crd.workflow.fakeapi.FakeApiFixtures.assertApiError;
import static com.crd.workflow.fakeapi.FakeApiFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.util.PatchUtils;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fault injection and request accounting, the hooks scenario tests build on. */
class FakeApiFaultsTest extends FakeApiTestBase {

  @Test
  void failNextAnswersWithoutTouchingTheStoreThenRecovers() throws Exception {
    server.failNext("POST", "/jobs$", 500, 2);
    V1Job job = FakeApiFixtures.job("a", "busybox", "true");
    ApiException first = assertApiError(500, () -> batch.createNamespacedJob(NS, job).execute());
    assertEquals("InternalError", status(first).getReason());
    assertApiError(500, () -> batch.createNamespacedJob(NS, job).execute());
    assertNull(server.get("jobs", NS, "a"));
    batch.createNamespacedJob(NS, job).execute();
    assertNotNull(server.get("jobs", NS, "a"));
  }

  @Test
  void tooManyRequestsCarriesRetryAfter() throws Exception {
    server.failNext("GET", "/namespaces/default/jobs/a$", 429, 1);
    ApiException e = assertApiError(429, () -> batch.readNamespacedJob("a", NS).execute());
    assertEquals(List.of("1"), e.getResponseHeaders().get("retry-after"));
    assertEquals("TooManyRequests", status(e).getReason());
    assertEquals(1, status(e).getDetails().getRetryAfterSeconds());
  }

  @Test
  void injectedConflictOnlyHitsTheMatchingMethod() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    server.failNext("PATCH", "/jobs/a/status$", 409, 1);
    batch.readNamespacedJob("a", NS).execute();
    ApiException e = assertApiError(409, () -> PatchUtils.patch(V1Job.class,
        () -> batch.patchNamespacedJobStatus("a", NS, new V1Patch("{\"status\":{\"active\":1}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client));
    assertEquals("Conflict", status(e).getReason());
  }

  @Test
  void lostResponseIsAppliedButReportedAsFailure() throws Exception {
    server.loseNextResponse("POST", "/jobs$");
    V1Job job = FakeApiFixtures.job("a", "busybox", "true");
    assertApiError(500, () -> batch.createNamespacedJob(NS, job).execute());
    assertNotNull(server.get("jobs", NS, "a"), "the write happened");
    ApiException retry = assertApiError(409, () -> batch.createNamespacedJob(NS, job).execute());
    assertEquals("AlreadyExists", status(retry).getReason());
  }

  @Test
  void writesAreCountedPerResourceAndLogged() throws Exception {
    batch.createNamespacedJob(NS, FakeApiFixtures.job("a", "busybox", "true")).execute();
    batch.readNamespacedJob("a", NS).execute();
    PatchUtils.patch(V1Job.class,
        () -> batch.patchNamespacedJobStatus("a", NS, new V1Patch("{\"status\":{\"active\":1}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    server.create("workflows", NS, FakeApiFixtures.workflowJson("direct"));

    assertEquals(2, server.writeCount(), "store-level writes are not requests");
    assertEquals(2, server.writes("jobs"));
    assertEquals(0, server.writes("workflows"));
    assertEquals(List.of("POST /apis/batch/v1/namespaces/default/jobs",
        "GET /apis/batch/v1/namespaces/default/jobs/a",
        "PATCH /apis/batch/v1/namespaces/default/jobs/a/status"), server.requests());
    RecordedRequest patch = server.recordedRequests().get(2);
    assertTrue(patch.contentType().startsWith("application/merge-patch+json"), patch.contentType());

    server.resetWriteCount();
    assertEquals(0, server.writeCount());
    assertEquals(0, server.writes("jobs"));
  }
}
