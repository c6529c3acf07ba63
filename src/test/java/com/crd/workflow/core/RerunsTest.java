package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** Re-run from the failure (the workflow.crd.com/rerun annotation): one row per rule. */
class RerunsTest {
  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> rules() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static final Instant FAILED = T0.plusSeconds(10);

  static String jobOf(World w, String step) {
    return w.jobs().stream().filter(j -> step.equals(j.step())).map(ObservedJob::name)
        .max(String::compareTo).orElseThrow();
  }

  /** a succeeded, b failed, c (after b) skipped, d (after a) ran and failed too. */
  static World failed() {
    World w = new World(wf(spec(step("a"), step("b", "a"), step("c", "b"))));
    w.apply(w.plan(T0), T0);
    w.finish(jobOf(w, "a"), JobPhase.SUCCEEDED, null, T0.plusSeconds(5));
    w.apply(w.plan(T0.plusSeconds(5)), T0.plusSeconds(5));
    w.finish(jobOf(w, "b"), JobPhase.FAILED, "BackoffLimitExceeded", FAILED);
    w.apply(w.plan(FAILED), FAILED);
    return w;
  }

  static void annotate(World w, String token) {
    Workflow x = w.workflow;
    w.workflow = new Workflow(x.namespace(), x.name(), x.uid(), x.labels(), x.generation(),
        x.resourceVersion(), x.deleting(), x.spec(), x.specError(), x.status(), x.createdAt(), token);
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("a Failed workflow re-runs its failed step with a new Job; the succeeded step keeps its Job", () -> {
      World w = failed();
      assertEquals(Phase.Failed, w.phase());
      String a = jobOf(w, "a");
      String b1 = jobOf(w, "b");
      annotate(w, "t1");
      Instant at = FAILED.plusSeconds(100);
      Plan p = w.plan(at);
      assertEquals(List.of("b"), created(p));
      CreateJob b2 = (CreateJob) p.actions().stream().filter(x -> x instanceof CreateJob).findFirst().get();
      assertNotEquals(b1, b2.jobName());
      assertEquals(Names.jobName("demo", "uid-1", "b", Names.specHash(w.workflow.spec()), 1, 1), b2.jobName());
      assertEquals("1", b2.labels().get(Names.LABEL_RUN));
      assertEquals(List.of(), deleted(p), "the failed run's Jobs stay as the record of it");
      WorkflowStatus s = p.status();
      assertEquals(Phase.Started, s.phase());
      assertEquals("t1", s.rerunToken());
      assertEquals(1, s.reruns());
      assertEquals(Statuses.format(at), s.statusChanged());
      assertEquals(List.of("a"), s.executedSteps());
      assertEquals(a, s.steps().get(0).job());
      assertEquals(StepState.Running, s.steps().get(1).state());
      assertEquals(StepState.Waiting, s.steps().get(2).state(), "c is no longer Skipped");
      assertTrue(statusPatch(p).events().stream().anyMatch(e -> e.reason().equals("Rerun")));
    }));
    rows.add(new Row("the same token never re-runs twice: the rerun run fails again and stays Failed", () -> {
      World w = failed();
      annotate(w, "t1");
      w.apply(w.plan(FAILED.plusSeconds(1)), FAILED.plusSeconds(1));
      String rerunB = w.jobs().stream()
          .filter(j -> "b".equals(j.step()) && "1".equals(j.labels().get(Names.LABEL_RUN)))
          .findFirst().get().name();
      w.finish(rerunB, JobPhase.FAILED, "BackoffLimitExceeded", FAILED.plusSeconds(5));
      Plan p = w.plan(FAILED.plusSeconds(5));
      assertEquals(Phase.Failed, p.status().phase());
      w.apply(p, FAILED.plusSeconds(5));
      Plan later = w.plan(FAILED.plusSeconds(500));
      assertEquals(List.of(), later.actions());
      annotate(w, "t2");
      Plan again = w.plan(FAILED.plusSeconds(600));
      assertEquals(List.of("b"), created(again), "a new token re-runs again");
      assertEquals(2, again.status().reruns());
    }));
    rows.add(new Row("a crash after the annotation, before anything was written, re-runs with the same Job name", () -> {
      World w = failed();
      annotate(w, "t1");
      Plan first = w.plan(FAILED.plusSeconds(1));
      Plan afterCrash = w.plan(FAILED.plusSeconds(30));
      assertEquals(created(first), created(afterCrash));
      assertEquals(first.actions().stream().filter(x -> x instanceof CreateJob).map(x -> ((CreateJob) x).jobName()).toList(),
          afterCrash.actions().stream().filter(x -> x instanceof CreateJob).map(x -> ((CreateJob) x).jobName()).toList());
    }));
    rows.add(new Row("a crash after the status write, before the Job, creates the Job on the next plan", () -> {
      World w = failed();
      annotate(w, "t1");
      Plan p = w.plan(FAILED.plusSeconds(1));
      w.workflow = w.workflow.withStatus(p.status()); // the Job create was lost
      Plan next = w.plan(FAILED.plusSeconds(2));
      assertEquals(List.of("b"), created(next));
      assertEquals(created(p), created(next));
    }));
    rows.add(new Row("a Completed workflow is not re-run: the token is recorded and an event says why", () -> {
      World w = new World(wf(spec(step("a"))));
      w.apply(w.plan(T0), T0);
      w.finish(jobOf(w, "a"), JobPhase.SUCCEEDED, null, T0.plusSeconds(3));
      w.apply(w.plan(T0.plusSeconds(3)), T0.plusSeconds(3));
      assertEquals(Phase.Completed, w.phase());
      annotate(w, "t1");
      Plan p = w.plan(T0.plusSeconds(10));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Completed, p.status().phase());
      assertEquals("t1", p.status().rerunToken());
      assertEquals(0, p.status().reruns());
      assertTrue(statusPatch(p).events().stream().anyMatch(e -> e.reason().equals("RerunRefused")
          && e.message().contains("this one is Completed")), statusPatch(p).events().toString());
      w.apply(p, T0.plusSeconds(10));
      assertEquals(List.of(), w.plan(T0.plusSeconds(20)).actions(), "said once");
    }));
    rows.add(new Row("a step still running from the failed run is not started a second time", () -> {
      World w = new World(wf(spec(step("a"), step("b"))));
      w.apply(w.plan(T0), T0);
      w.finish(jobOf(w, "a"), JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(2));
      w.apply(w.plan(T0.plusSeconds(2)), T0.plusSeconds(2));
      assertEquals(Phase.Failed, w.phase());
      annotate(w, "t1");
      Plan p = w.plan(T0.plusSeconds(3));
      assertEquals(List.of("a"), created(p), "b's Job of run 0 still runs: it stands for b");
      assertEquals(StepState.Running, p.status().steps().get(1).state());
    }));
    rows.add(new Row("an invalid workflow is not re-run", () -> {
      World w = new World(wf(spec(step("a", "a"))));
      w.apply(w.plan(T0), T0);
      assertEquals(Phase.Failed, w.phase());
      annotate(w, "t1");
      Plan p = w.plan(T0.plusSeconds(1));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("t1", p.status().rerunToken());
      assertTrue(statusPatch(p).events().stream().anyMatch(e -> e.reason().equals("RerunRefused")
          && e.message().equals("not re-run (t1): its spec is invalid or changed; a fixed spec starts it over")),
          statusPatch(p).events().toString());
    }));
    rows.add(new Row("a spec change still starts everything over, whatever the run", () -> {
      World w = failed();
      annotate(w, "t1");
      w.apply(w.plan(FAILED.plusSeconds(1)), FAILED.plusSeconds(1));
      w.workflow = withSpec(w.workflow, spec(step("a"), step("b", "a"), step("c", "b"), step("d")));
      Plan p = w.plan(FAILED.plusSeconds(2));
      assertEquals(3, deleted(p).size(), "every Job of the old spec goes, the succeeded one too");
      assertEquals(List.of(), created(p));
    }));
    return rows;
  }
}
