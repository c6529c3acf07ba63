package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action;
import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.Phase;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The applier's outcomes, one row per scripted API answer, against a recording fake of the API:
 * what it reports (done, already done, conflict, transient, permanent), what it writes, and
 * whether the tick counts it as an error.
 */
class ApplierOutcomesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Workflow WF = new Workflow("ns", "wf", "uid-1", Map.of(), 1, "7", false,
      new WorkflowSpec(60, List.of(new Step("a", "busybox", null, null))), null, null);
  private static final Plan START = Planner.plan(WF, List.of(), T0);

  private record Row(String name, Consumer<RecordingApi> script, Plan plan,
      Consumer<Outcome> check) {}

  private record Outcome(Applier.Result result, RecordingApi api) {
    int count(String kindAndOutcome) {
      return result.carriedOut().getOrDefault(kindAndOutcome, 0);
    }
  }

  private static JsonObject ourJob(String hash) {
    return JsonParser.parseString("{\"metadata\":{\"labels\":{\"" + Names.LABEL_WORKFLOW_UID
        + "\":\"uid-1\",\"" + Names.LABEL_SPEC_HASH + "\":\"" + hash + "\"}}}").getAsJsonObject();
  }

  private static String hash() {
    return ((CreateJob) START.actions().stream().filter(a -> a instanceof CreateJob).findFirst()
        .orElseThrow()).specHash();
  }

  private static Plan orphan() {
    return new Plan("(orphans)", null, List.<Action>of(
        new DeleteJob("ns", "old-a", "its workflow no longer exists", "gone-uid", "gone")));
  }

  private static Plan ttl() {
    return new Plan("ns/wf", null, List.<Action>of(
        new Action.DeleteWorkflow("ns", "wf", "uid-1", "finished 60s ago (ttlSecondsAfterFinished)")));
  }

  private static List<Row> rows() {
    return List.of(
        new Row("a workflow past its TTL is deleted with its uid as the precondition", api -> { }, ttl(), o -> {
          assertEquals(1, o.count("DeleteWorkflow/done"));
          assertEquals(List.of("DELETE /apis/workflow.crd.com/v1/namespaces/ns/workflows/wf uid=uid-1"),
              o.api().calls);
        }),
        new Row("404 on a TTL delete: already gone, no error",
            api -> api.on("DELETE", "/workflows/wf uid=uid-1", 404), ttl(), o -> {
              assertEquals(1, o.count("DeleteWorkflow/already_done"));
              assertEquals(List.of(), o.result().errors());
            }),
        new Row("409 on a TTL delete: the uid precondition held off a re-created Workflow",
            api -> api.on("DELETE", "/workflows/wf uid=uid-1", 409), ttl(), o -> {
              assertEquals(1, o.count("DeleteWorkflow/already_done"));
              assertEquals(List.of(), o.result().errors());
            }),
        new Row("a create that succeeds: done, then the status is written", api -> { }, START, o -> {
          assertEquals(1, o.count("CreateJob/done"));
          assertEquals(1, o.count("PatchStatus/done"));
          assertEquals(List.of(), o.result().errors());
        }),
        new Row("409 on create and the Job is ours (a lost answer): already done, no error",
            api -> api.on("POST", "/jobs", 409).on("GET", "/jobs/" + jobName(), ourJob(hash())),
            START, o -> {
              assertEquals(1, o.count("CreateJob/done"));
              assertEquals(List.of(), o.result().errors());
              assertTrue(o.api().calls.contains("GET /apis/batch/v1/namespaces/ns/jobs/" + jobName()));
            }),
        new Row("409 on create and the Job is someone else's: the workflow fails, JobNameTaken",
            api -> api.on("POST", "/jobs", 409).on("GET", "/jobs/" + jobName(), ourJob("other")),
            START, o -> {
              assertEquals(1, o.count("CreateJob/permanent"));
              assertEquals(List.of(), o.result().errors());
              assertTrue(o.api().writes().stream().anyMatch(c -> c.endsWith("/status")));
            }),
        new Row("403 on create (RBAC or quota): permanent, the workflow fails with the reason, the tick is fine",
            api -> api.on("POST", "/jobs", 403), START, o -> {
              assertEquals(1, o.count("CreateJob/permanent"));
              assertEquals(List.of(), o.result().errors());
              assertEquals(java.util.Set.of(), o.result().failedWorkflows());
              assertTrue(o.api().writes().stream().anyMatch(c -> c.endsWith("/status")));
            }),
        new Row("500 on create: transient, an error, and no status that claims the Job",
            api -> api.on("POST", "/jobs", 500), START, o -> {
              assertEquals(1, o.count("CreateJob/transient"));
              assertEquals(1, o.result().errors().size());
              assertEquals(java.util.Set.of("ns/wf"), o.result().failedWorkflows());
              assertTrue(o.api().writes().stream().noneMatch(c -> c.endsWith("/status")));
            }),
        new Row("429 on create: transient", api -> api.on("POST", "/jobs", 429), START,
            o -> assertEquals(1, o.count("CreateJob/transient"))),
        new Row("409 on the status write (planned from an older Workflow): conflict, no error",
            api -> api.on("PATCH", "/status", 409), START, o -> {
              assertEquals(1, o.count("PatchStatus/conflict"));
              assertEquals(List.of(), o.result().errors());
            }),
        new Row("404 on the status write (deleted meanwhile): already done",
            api -> api.on("PATCH", "/status", 404), START,
            o -> assertEquals(1, o.count("PatchStatus/already_done"))),
        new Row("an orphan whose owner is really gone (404): deleted",
            api -> api.on("GET", "/workflows/gone", 404), orphan(), o -> {
              assertEquals(1, o.count("DeleteJob/done"));
              assertEquals(List.of("DELETE /apis/batch/v1/namespaces/ns/jobs/old-a"), o.api().writes());
            }),
        new Row("an orphan whose owner exists after all (a newer list): kept",
            api -> api.on("GET", "/workflows/gone", JsonParser.parseString(
                "{\"metadata\":{\"uid\":\"gone-uid\"}}").getAsJsonObject()), orphan(), o -> {
              assertEquals(1, o.count("DeleteJob/already_done"));
              assertEquals(List.of(), o.api().writes());
            }),
        new Row("404 on deleting an orphan: already done",
            api -> api.on("GET", "/workflows/gone", 404).on("DELETE", "/jobs/old-a", 404), orphan(),
            o -> assertEquals(1, o.count("DeleteJob/already_done"))));
  }

  private static String jobName() {
    return Names.jobName("wf", "uid-1", "a", hash());
  }

  @TestFactory
  Stream<DynamicTest> outcomes() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      RecordingApi api = new RecordingApi();
      r.script().accept(api);
      Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
      Applier applier = new Applier(api, api, RateLimiter.UNLIMITED, clock,
          new EventRecorder(api, clock, "test"), () -> true);
      Applier.Result result = applier.apply(List.of(r.plan()), Map.of(WF.key(), WF));
      r.check().accept(new Outcome(result, api));
    }));
  }

  static {
    assertEquals(Phase.Started, START.status().phase());
  }
}
