package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.WorkflowStatus;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConvertTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static JsonObject json(String s) {
    return JsonParser.parseString(s.replace('\'', '"')).getAsJsonObject();
  }

  @Test
  @DisplayName("every status the planner writes reads back equal, so a no-op tick writes nothing")
  void statusRoundTrips() {
    WorkflowSpec spec = new WorkflowSpec(60, List.of(new Step("a", "img", null, List.of()),
        new Step("b", "img", List.of("true"), List.of("a"))));
    Workflow wf = new Workflow("ns", "w", "uid", Map.of(), 3, "7", false, spec, null, null);
    WorkflowStatus started = Planner.plan(wf, List.of(), T0).status();
    WorkflowStatus invalid = Planner.plan(new Workflow("ns", "w", "uid", Map.of(), 3, "7", false,
        null, "spec is missing", null), List.of(), T0).status();
    for (WorkflowStatus s : List.of(started, invalid)) {
      // Through text, as the API server would store and return it.
      JsonObject stored = JsonParser.parseString(Convert.toJson(s).toString()).getAsJsonObject();
      assertEquals(s, Convert.status(stored));
    }
  }

  @Test
  @DisplayName("a spec that does not fit the schema names the first bad field")
  void badSpecs() {
    assertEquals("spec.containers must be a list of steps", error("{'spec':{'containers':5}}"));
    assertEquals("spec.containers[0].stepName must be a string",
        error("{'spec':{'containers':[{'stepName':1}]}}"));
    assertEquals("spec.containers[0].dependsOn must be a list of strings",
        error("{'spec':{'containers':[{'stepName':'a','dependsOn':'b'}]}}"));
    assertEquals("spec.maxStepTimeout must be an integer number of seconds, got 1.5",
        error("{'spec':{'maxStepTimeout':1.5,'containers':[]}}"));
    assertEquals("spec.maxStepTimeout must be an integer number of seconds, got 18446744073709551617",
        error("{'spec':{'maxStepTimeout':18446744073709551617,'containers':[]}}"));
    assertEquals("spec must be an object", error("{'spec':'x'}"));
    assertEquals("spec is missing", error("{}"));
  }

  private static String error(String workflow) {
    JsonObject o = json(workflow);
    o.add("metadata", json("{'name':'w','namespace':'ns','uid':'u'}"));
    return Convert.workflow(o).specError();
  }

  @Test
  @DisplayName("a status of the wrong shape is ignored rather than failing the tick")
  void oddStatus() {
    JsonObject o = json("{'metadata':{'name':'w','namespace':'ns','uid':'u'},"
        + "'spec':{'containers':[]},'status':{'workflow-status':'Weird','steps':[{'state':'Odd'}]}}");
    Workflow wf = Convert.workflow(o);
    assertNull(wf.status().phase());
    assertNotNull(Planner.plan(wf, List.of(), T0).status());
  }

  @Test
  @DisplayName("Job conditions map to phases: Complete/SuccessCriteriaMet succeed, Failed/FailureTarget fail")
  void jobPhases() {
    assertEquals(JobPhase.RUNNING, job("{'active':1,'startTime':'2026-01-01T00:00:00Z'}").phase());
    ObservedJob done = job("{'succeeded':1,'completionTime':'2026-01-01T00:01:00Z','conditions':["
        + "{'type':'SuccessCriteriaMet','status':'True'},{'type':'Complete','status':'True'}]}");
    assertEquals(JobPhase.SUCCEEDED, done.phase());
    assertEquals(Instant.parse("2026-01-01T00:01:00Z"), done.finishTime());
    ObservedJob failed = job("{'failed':2,'conditions':[{'type':'FailureTarget','status':'True',"
        + "'reason':'DeadlineExceeded','lastTransitionTime':'2026-01-01T00:02:00Z'}]}");
    assertEquals(JobPhase.FAILED, failed.phase());
    assertEquals("DeadlineExceeded", failed.reason());
    assertEquals(JobPhase.RUNNING, job("{'conditions':[{'type':'Failed','status':'False'}]}").phase());
  }

  @Test
  @DisplayName("without conditions, the counters decide as the Job controller would")
  void jobCounters() {
    assertEquals(JobPhase.SUCCEEDED, job("{'succeeded':1}").phase());
    assertEquals(JobPhase.RUNNING, job("{'failed':1,'active':1}").phase(), "a retry is left (default 6)");
    ObservedJob spent = Convert.job(json("{'metadata':{'name':'j','namespace':'ns'},"
        + "'spec':{'backoffLimit':1},'status':{'failed':2}}"));
    assertEquals(JobPhase.FAILED, spent.phase());
    assertEquals("BackoffLimitExceeded", spent.reason());
  }

  private static ObservedJob job(String status) {
    return Convert.job(json("{'metadata':{'name':'j','namespace':'ns',"
        + "'creationTimestamp':'2026-01-01T00:00:00Z','labels':{'a':'b'}},'status':" + status + "}"));
  }

  @Test
  @DisplayName("a Job held with spec.suspend is suspended; its Suspended condition turning False is when it resumed")
  void suspendedJobs() {
    ObservedJob held = Convert.job(json("{'metadata': {'name': 'j', 'creationTimestamp': '2026-01-01T00:00:00Z'},"
        + " 'spec': {'suspend': true}, 'status': {'conditions': [{'type': 'Suspended', 'status': 'True',"
        + " 'lastTransitionTime': '2026-01-01T00:00:01Z'}]}}"));
    assertTrue(held.suspended());
    assertEquals(JobPhase.RUNNING, held.phase());
    assertNull(held.runningSince(), "time in a queue is not running time");
    assertFalse(held.active());
    ObservedJob resumed = Convert.job(json("{'metadata': {'name': 'j', 'creationTimestamp': '2026-01-01T00:00:00Z'},"
        + " 'spec': {'suspend': false}, 'status': {'conditions': [{'type': 'Suspended', 'status': 'False',"
        + " 'lastTransitionTime': '2026-01-01T00:10:00Z'}]}}"));
    assertFalse(resumed.suspended());
    assertEquals(Instant.parse("2026-01-01T00:10:00Z"), resumed.runningSince());
    assertTrue(resumed.active());
  }

  @Test
  @DisplayName("the spec's Container, stepDefaults and podTemplate fields are read as written; others are not")
  void podFields() throws Exception {
    WorkflowSpec spec = Convert.spec(json("{'parallelism': 3, 'queueName': 'q', 'stepDefaults': {'env': [{'name': 'A',"
        + " 'value': '1'}], 'args': ['not a default field']}, 'podTemplate': {'serviceAccountName': 'sa',"
        + " 'metadata': {'labels': {'x': 'y'}, 'name': 'ignored'}, 'hostNetwork': true},"
        + " 'containers': [{'stepName': 'a', 'image': 'i', 'resources': {'limits': {'memory': '1Gi', 'cpu': 2}}}]}"));
    assertEquals(3L, spec.parallelism());
    assertEquals("q", spec.queueName());
    assertEquals(Map.of("env", List.of(Map.of("name", "A", "value", "1"))), spec.stepDefaults());
    assertEquals(Map.of("serviceAccountName", "sa", "metadata", Map.of("labels", Map.of("x", "y"))), spec.podTemplate());
    assertEquals(Map.of("resources", Map.of("limits", Map.of("memory", "1Gi", "cpu", new java.math.BigDecimal("2")))),
        spec.steps().get(0).container());
    assertEquals("spec.parallelism must be an integer, got \"two\"",
        assertThrows(Convert.BadSpec.class, () -> Convert.spec(json("{'parallelism': 'two', 'containers': []}"))).getMessage());
  }

  @Test
  @DisplayName("a workflow's creationTimestamp orders it under the global cap")
  void createdAt() {
    Workflow wf = Convert.workflow(json("{'metadata': {'name': 'w', 'namespace': 'n', 'uid': 'u',"
        + " 'creationTimestamp': '2026-01-01T00:00:05Z'}, 'spec': {'containers': [{'stepName': 'a', 'image': 'i'}]}}"));
    assertEquals(Instant.parse("2026-01-01T00:00:05Z"), wf.createdAt());
  }

  @Test
  @DisplayName("retries are read with their defaults, the step's beside the workflow's, and attempts round-trip")
  void retriesAndAttempts() throws Exception {
    WorkflowSpec spec = Convert.spec(json("{'retries': {'limit': 2}, 'containers': ["
        + "{'stepName': 'a', 'image': 'i', 'retries': {'limit': 3, 'backoff': {'seconds': 5,"
        + " 'factor': 1.5, 'maxSeconds': 30}, 'neverOnExitCodes': [2]}}, {'stepName': 'b', 'image': 'i'}]}"));
    assertEquals(new com.crd.workflow.core.Retries(2, 10, 2, 300), spec.retries());
    assertEquals(new com.crd.workflow.core.Retries(3, 5, 1.5, 30, List.of(), List.of(2)),
        spec.retriesOf(spec.steps().get(0)));
    assertEquals(spec.retries(), spec.retriesOf(spec.steps().get(1)));
    Exception bad = assertThrows(Exception.class, () -> Convert.spec(json(
        "{'containers': [{'stepName': 'a', 'image': 'i', 'retries': {'limit': 'three'}}]}")));
    assertEquals("spec.containers[0].retries.limit must be an integer, got \"three\"", bad.getMessage());

    WorkflowStatus s = new WorkflowStatus(com.crd.workflow.core.Phase.Started, "t", "m", "0/1", "h", 1,
        List.of(), List.of("a"), List.of(new com.crd.workflow.core.StepStatus("a",
            com.crd.workflow.core.StepState.Retrying, "j", "attempt 1 of 3 failed", null, "t", 1)), List.of());
    assertEquals(s, Convert.status(JsonParser.parseString(Convert.toJson(s).toString()).getAsJsonObject()));
  }
}
