package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** One row per behaviour of the mission; each row's name is the scenario. */
class PlannerTest {
  static final WorkflowSpec CHAIN3 = spec(step("a"), step("b", "a"), step("c", "b"));
  static final WorkflowSpec DIAMOND = spec(step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"));

  record Row(String name, Executable check) {}

  static Row row(String name, Executable check) {
    return new Row(name, check);
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(row("a new workflow becomes Started and only its roots get Jobs", () -> {
      Plan p = Planner.plan(wf(DIAMOND), List.of(), T0);
      assertEquals(List.of("a"), created(p));
      assertEquals(Phase.Started, p.status().phase());
      assertEquals("running: a", p.status().message());
      assertEquals(List.of("a"), p.status().startedSteps());
      assertEquals("0/4", p.status().progress());
      assertEquals(Statuses.format(T0), p.status().statusChanged());
    }));
    rows.add(row("a workflow the CRD defaulted to Created becomes Started with its roots", () -> {
      WorkflowStatus created = new WorkflowStatus(Phase.Created, null, null, null, null, 0, null,
          null, null, null);
      Plan p = Planner.plan(withStatus(wf(DIAMOND), created), List.of(), T0);
      assertEquals(List.of("a"), created(p));
      assertEquals(Phase.Started, p.status().phase());
      assertEquals(Statuses.format(T0), p.status().statusChanged());
      assertEquals(List.of("Started", "StepStarted"),
          statusPatch(p).events().stream().map(WorkflowEvent::reason).toList());
    }));
    rows.add(row("a finished workflow of this generation costs no re-validation, yet its Jobs follow a relabel", () -> {
      Workflow w = wf(CHAIN3);
      List<ObservedJob> done = List.of(job(w, "a", JobPhase.SUCCEEDED), job(w, "b", JobPhase.SUCCEEDED),
          job(w, "c", JobPhase.SUCCEEDED));
      Workflow finished = withStatus(w, Planner.plan(w, done, T0).status());
      assertEquals(Phase.Completed, finished.status().phase());
      assertEquals(finished.generation(), finished.status().observedGeneration());
      Plan again = Planner.plan(finished, done, T0.plusSeconds(60));
      assertEquals(List.of(), again.actions(), "nothing to do, nothing to write");
      assertNull(again.nextLook());
      Plan relabelled = Planner.plan(withLabels(finished, Map.of("team", "x")), done, T0);
      assertEquals(3, relabels(relabelled).size());
      assertEquals(Phase.Completed, relabelled.status().phase());
    }));
    rows.add(row("a running step asks to be looked at again when its timeout expires", () -> {
      Workflow w = wf(CHAIN3);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.RUNNING, null, T0)), T0.plusSeconds(5));
      assertEquals(T0.plusSeconds(60).plusMillis(1), p.nextLook());
      Plan unlimited = Planner.plan(withSpec(w, new WorkflowSpec(-1, CHAIN3.steps())),
          List.of(), T0);
      assertNull(unlimited.nextLook());
    }));
    rows.add(row("b waits while a runs", () -> {
      Workflow w = wf(CHAIN3);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.RUNNING)), T0.plusSeconds(5));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Started, p.status().phase());
    }));
    rows.add(row("d waits until both b and c succeeded, then starts", () -> {
      Workflow w = wf(DIAMOND);
      List<ObservedJob> jobs = new ArrayList<>(List.of(job(w, "a", JobPhase.SUCCEEDED),
          job(w, "b", JobPhase.SUCCEEDED), job(w, "c", JobPhase.RUNNING)));
      assertEquals(List.of(), created(Planner.plan(w, jobs, T0.plusSeconds(5))));
      jobs.set(2, job(w, "c", JobPhase.SUCCEEDED));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(6));
      assertEquals(List.of("d"), created(p));
      assertEquals(List.of("a", "b", "c"), p.status().executedSteps());
      assertEquals("3/4", p.status().progress());
    }));
    rows.add(row("a step whose Job already exists is never created again", () -> {
      Workflow w = wf(DIAMOND);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED),
          job(w, "b", JobPhase.RUNNING), job(w, "c", JobPhase.FAILED, null, T0)), T0);
      assertFalse(created(p).contains("b"));
      assertFalse(created(p).contains("c"));
    }));
    rows.add(row("all steps succeeded: Completed with a Completed condition", () -> {
      Workflow w = wf(CHAIN3);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED),
          job(w, "b", JobPhase.SUCCEEDED), job(w, "c", JobPhase.SUCCEEDED)), T0);
      assertEquals(Phase.Completed, p.status().phase());
      assertEquals("all 3 steps succeeded", p.status().message());
      assertEquals("3/3", p.status().progress());
      assertEquals("True", condition(p.status(), "Completed").status());
      assertEquals("False", condition(p.status(), "Failed").status());
    }));
    rows.add(row("a failed: workflow Failed naming step and reason, b never created", () -> {
      Workflow w = wf(CHAIN3);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.FAILED, "BackoffLimitExceeded", T0)), T0);
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("step a failed: BackoffLimitExceeded", p.status().message());
      assertEquals(List.of(), created(p));
      assertEquals("True", condition(p.status(), "Failed").status());
      assertEquals(Statuses.REASON_STEP_FAILED, condition(p.status(), "Failed").reason());
    }));
    rows.add(row("b failed while c runs: Failed, c is left to finish, d never created", () -> {
      Workflow w = wf(DIAMOND);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED),
          job(w, "b", JobPhase.FAILED, "BackoffLimitExceeded", T0), job(w, "c", JobPhase.RUNNING)), T0);
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals(List.of(), created(p));
      assertEquals(List.of(), deleted(p));
    }));
    rows.add(row("a Job running longer than maxStepTimeout fails the workflow as timed out", () -> {
      Workflow w = wf(CHAIN3);
      ObservedJob a = job(w, "a", JobPhase.RUNNING);
      assertEquals(Phase.Started, Planner.plan(w, List.of(a), T0.plusSeconds(60)).status().phase());
      Plan p = Planner.plan(w, List.of(a), T0.plusSeconds(61));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("step a timed out after 60s", p.status().message());
      assertEquals(Statuses.REASON_TIMED_OUT, condition(p.status(), "Failed").reason());
    }));
    rows.add(row("a Job that never started is timed out from its creation", () -> {
      Workflow w = wf(CHAIN3);
      String hash = Names.specHash(CHAIN3);
      ObservedJob pending = new ObservedJob("ns", "j", Names.jobLabels(w, "a", hash), List.of(),
          JobPhase.RUNNING, null, T0, null, null, false, w.name());
      assertEquals("step a timed out after 60s",
          Planner.plan(w, List.of(pending), T0.plusSeconds(100)).status().message());
    }));
    rows.add(row("a Job failed with DeadlineExceeded reads as timed out", () -> {
      Workflow w = wf(CHAIN3);
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.FAILED, "DeadlineExceeded", T0)), T0);
      assertEquals("step a timed out after 60s", p.status().message());
    }));
    rows.add(row("maxStepTimeout -1 never times out and sets no deadline", () -> {
      Workflow w = wf(new WorkflowSpec(-1, List.of(step("a"), step("b", "a"))));
      Plan first = Planner.plan(w, List.of(), T0);
      assertNull(((CreateJob) first.actions().get(0)).activeDeadlineSeconds());
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.RUNNING)), T0.plusSeconds(86400 * 365));
      assertEquals(Phase.Started, p.status().phase());
    }));
    rows.add(row("maxStepTimeout becomes the Job's activeDeadlineSeconds", () -> {
      Plan p = Planner.plan(wf(new WorkflowSpec(42, List.of(step("a")))), List.of(), T0);
      assertEquals(42L, ((CreateJob) p.actions().get(0)).activeDeadlineSeconds());
    }));
    rows.add(row("Failed is final: a later success never revives the workflow", () -> {
      Workflow w = wf(CHAIN3);
      Plan failed = Planner.plan(w, List.of(job(w, "a", JobPhase.FAILED, "Error", T0)), T0);
      Workflow after = withStatus(w, failed.status());
      Plan p = Planner.plan(after, List.of(job(w, "a", JobPhase.SUCCEEDED)), T0.plusSeconds(9));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals(List.of(), created(p));
      assertNull(statusPatch(p));
    }));
    rows.add(row("Completed is final: a later failure or vanished Job never fails it", () -> {
      Workflow w = wf(spec(step("a")));
      Plan done = Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED)), T0);
      Workflow after = withStatus(w, done.status());
      assertEquals(Phase.Completed, Planner.plan(after,
          List.of(job(w, "a", JobPhase.FAILED, "Error", T0)), T0.plusSeconds(5)).status().phase());
      Plan gone = Planner.plan(after, List.of(), T0.plusSeconds(5));
      assertEquals(Phase.Completed, gone.status().phase());
      assertEquals(List.of(), created(gone));
    }));
    rows.add(row("relabel: changed, added and removed labels are patched onto every Job", () -> {
      Workflow old = wf(CHAIN3, Map.of("team", "a", "drop", "me"));
      List<ObservedJob> jobs = List.of(job(old, "a", JobPhase.SUCCEEDED), job(old, "b", JobPhase.RUNNING));
      Workflow w = withLabels(old, Map.of("team", "b", "env", "prod"));
      Plan p = Planner.plan(w, jobs, T0);
      assertEquals(2, relabels(p).size());
      for (var patch : relabels(p)) {
        assertEquals(Map.of("team", "b", "env", "prod"), patch.set());
        assertEquals(List.of("drop"), patch.remove());
        assertEquals(List.of("env", "team"), patch.propagatedLabels());
      }
    }));
    rows.add(row("a label someone else added to a Job is left alone", () -> {
      Workflow w = wf(CHAIN3, Map.of("team", "a"));
      ObservedJob a = job(w, "a", JobPhase.RUNNING);
      Map<String, String> labels = new java.util.HashMap<>(a.labels());
      labels.put("kueue.x-k8s.io/queue-name", "q");
      ObservedJob touched = new ObservedJob(a.namespace(), a.name(), labels, a.propagatedLabels(),
          a.phase(), null, T0, T0, null, false, a.workflowName());
      assertEquals(List.of(), relabels(Planner.plan(w, List.of(touched), T0)));
    }));
    rows.add(row("a succeeded step whose Job was cleaned up is not run again", () -> {
      Workflow w = wf(CHAIN3);
      Plan mid = Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED), job(w, "b", JobPhase.RUNNING)), T0);
      Plan p = Planner.plan(withStatus(w, mid.status()), List.of(job(w, "b", JobPhase.SUCCEEDED)), T0);
      assertEquals(List.of("c"), created(p));
      assertEquals(List.of("a", "b"), p.status().executedSteps());
    }));
    rows.add(row("a finished status written without a spec hash is adopted, never re-run", () -> {
      Workflow w = wf(CHAIN3);
      WorkflowStatus old = new WorkflowStatus(Phase.Completed, "2025-01-01T00:00:00Z", "done", null,
          null, 1, List.of("a", "b", "c"), List.of(), List.of(), List.of());
      Plan p = Planner.plan(withStatus(w, old), List.of(), T0);
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Completed, p.status().phase());
      assertEquals(Names.specHash(CHAIN3), p.status().specHash());
    }));
    rows.add(row("a status with incomplete conditions does not break planning", () -> {
      Workflow w = wf(CHAIN3);
      WorkflowStatus odd = new WorkflowStatus(Phase.Started, null, null, null, null, 0, null, null,
          null, List.of(new Condition(null, null, null, null, null, 0)));
      assertEquals(Phase.Started, Planner.plan(withStatus(w, odd), List.of(), T0).status().phase());
    }));
    rows.add(row("a workflow without labels gives Jobs only the operator's labels", () -> {
      Plan p = Planner.plan(wf(CHAIN3), List.of(), T0);
      Map<String, String> labels = ((CreateJob) p.actions().get(0)).labels();
      assertEquals(5, labels.size());
      assertEquals("demo", labels.get(Names.LABEL_WORKFLOW));
    }));
    rows.add(row("spec update: old Jobs deleted, status restarts, nothing created this tick", () -> {
      Workflow w = wf(CHAIN3);
      List<ObservedJob> jobs = List.of(job(w, "a", JobPhase.SUCCEEDED), job(w, "b", JobPhase.RUNNING));
      Workflow running = withStatus(w, Planner.plan(w, jobs, T0).status());
      Workflow changed = withSpec(running, spec(step("x"), step("y", "x")));
      Plan p = Planner.plan(changed, jobs, T0.plusSeconds(10));
      assertEquals(2, deleted(p).size());
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Started, p.status().phase());
      assertTrue(p.status().message().startsWith("spec changed"), p.status().message());
      assertEquals(List.of(), p.status().startedSteps());
      assertEquals(List.of(), p.status().executedSteps());
      Plan next = Planner.plan(withStatus(changed, p.status()), List.of(), T0.plusSeconds(11));
      assertEquals(List.of("x"), created(next));
    }));
    rows.add(row("a spec update after Completed restarts the workflow", () -> {
      Workflow w = wf(spec(step("a")));
      Workflow done = withStatus(w, Planner.plan(w, List.of(job(w, "a", JobPhase.SUCCEEDED)), T0).status());
      Plan p = Planner.plan(withSpec(done, spec(step("b"))), List.of(job(w, "a", JobPhase.SUCCEEDED)), T0);
      assertEquals(Phase.Started, p.status().phase());
      assertEquals(1, deleted(p).size());
    }));
    rows.add(row("orphans: Jobs whose workflow no longer exists are deleted", () -> {
      Workflow gone = wf(CHAIN3);
      Workflow other = new Workflow("ns", "other", "uid-2", Map.of(), 1, "1", false, CHAIN3, null, null);
      Plan orphans = Planner.sweep(List.of(other), List.of(job(gone, "a", JobPhase.RUNNING))).orElseThrow();
      assertEquals(List.of(job(gone, "a", JobPhase.RUNNING).name()), deleted(orphans));
    }));
    rows.add(row("a cycle: Failed with the cycle named, and no Jobs", () -> {
      Plan p = Planner.plan(wf(spec(step("a", "b"), step("b", "a"), step("c"))), List.of(), T0);
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("dependency cycle: a -> b -> a", p.status().message());
      assertEquals(List.of(), created(p));
      assertEquals(Statuses.REASON_INVALID, condition(p.status(), "Failed").reason());
    }));
    rows.add(row("an unparseable spec: Failed with the parse error, and no Jobs", () -> {
      Workflow w = new Workflow("ns", "bad", "u", Map.of(), 1, "1", false, null,
          "spec.containers must be a list", null);
      Plan p = Planner.plan(w, List.of(), T0);
      assertEquals("spec.containers must be a list", p.status().message());
      assertEquals(List.of(), created(p));
    }));
    rows.add(row("a spec turned invalid deletes the Jobs of the previous spec", () -> {
      Workflow w = wf(CHAIN3);
      Workflow invalid = withSpec(w, spec(step("a", "zzz")));
      Plan p = Planner.plan(invalid, List.of(job(w, "a", JobPhase.RUNNING)), T0);
      assertEquals(1, deleted(p).size());
      assertEquals(Phase.Failed, p.status().phase());
    }));
    rows.add(row("status-changed moves only when workflow-status changes", () -> {
      Workflow w = wf(CHAIN3);
      Plan first = Planner.plan(w, List.of(), T0);
      Workflow w1 = withStatus(w, first.status());
      Plan second = Planner.plan(w1, List.of(job(w, "a", JobPhase.SUCCEEDED)), T0.plusSeconds(30));
      assertEquals(Statuses.format(T0), second.status().statusChanged());
      assertNotNull(statusPatch(second), "progress changed, so status is written");
    }));
    rows.add(row("planning twice on the same world writes nothing the second time", () -> {
      World world = new World(wf(DIAMOND));
      world.apply(world.plan(T0), T0);
      Plan again = world.plan(T0.plusSeconds(3));
      assertEquals(List.of(), again.actions());
      assertEquals(world.workflow.status(), again.status());
    }));
    rows.add(row("a workflow being deleted gets no actions", () -> {
      Workflow w = new Workflow("ns", "x", "u", Map.of(), 1, "1", true, CHAIN3, null, null);
      assertEquals(List.of(), Planner.plan(w, List.of(), T0).actions());
    }));
    rows.add(row("a chain of 5 runs in 5 waves of one step", () ->
        assertEquals(List.of(List.of("s1"), List.of("s2"), List.of("s3"), List.of("s4"), List.of("s5")),
            waves(spec(step("s1"), step("s2", "s1"), step("s3", "s2"), step("s4", "s3"), step("s5", "s4"))))));
    rows.add(row("a binary tree of 7 runs in waves of 1, 2 and 4", () ->
        assertEquals(List.of(List.of("n1"), List.of("n2", "n3"), List.of("n4", "n5", "n6", "n7")),
            waves(spec(step("n1"), step("n2", "n1"), step("n3", "n1"), step("n4", "n2"),
                step("n5", "n2"), step("n6", "n3"), step("n7", "n3"))))));
    rows.add(row("the diamond runs in waves a; b, c; d", () ->
        assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d")), waves(DIAMOND))));
    return rows;
  }

  /** Runs a spec to completion, every Job succeeding, and returns the steps created per tick. */
  static List<List<String>> waves(WorkflowSpec spec) {
    World world = new World(wf(spec));
    List<List<String>> waves = new ArrayList<>();
    for (int tick = 0; tick < 50; tick++) {
      Plan p = world.plan(T0.plusSeconds(tick));
      world.apply(p, T0.plusSeconds(tick));
      if (!created(p).isEmpty()) {
        waves.add(created(p));
      }
      for (ObservedJob j : world.jobs()) {
        if (j.phase() == JobPhase.RUNNING) {
          world.finish(j.name(), JobPhase.SUCCEEDED, null, T0.plusSeconds(tick));
        }
      }
      if (world.workflow.status().phase() == Phase.Completed) {
        return waves;
      }
    }
    throw new AssertionError("did not complete: " + world.workflow.status());
  }

  static Condition condition(WorkflowStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
  }
}
