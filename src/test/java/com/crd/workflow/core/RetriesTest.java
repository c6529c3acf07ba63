package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** Retries, backoff and the Skipped state: one row per rule. */
class RetriesTest {
  /** 2 retries, 10 s then 20 s, capped at 15 s. */
  static final Retries R = new Retries(2, 10, 2, 15);

  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> rules() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static Step retried(String name, Retries r, String... deps) {
    Step s = step(name, deps);
    return new Step(s.stepName(), s.image(), s.command(), s.dependsOn(), s.container(), r);
  }

  /** The Job of one attempt, as the planner creates it, observed in {@code phase}. */
  static ObservedJob attempt(Workflow w, String step, int n, JobPhase phase, String reason,
      Instant finished) {
    Step s = w.spec().steps().stream().filter(x -> x.stepName().equals(step)).findFirst().get();
    CreateJob c = Planner.createJob(w, s, Names.specHash(w.spec()), n);
    return new ObservedJob(c.namespace(), c.jobName(), c.labels(), c.propagatedLabels(), phase,
        reason, T0, T0, finished, false, w.name());
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("a failed first attempt waits for its backoff, then attempt 2 gets its own Job", () -> {
      Workflow w = wf(spec(retried("a", R)));
      Instant failed = T0.plusSeconds(5);
      List<ObservedJob> jobs = List.of(attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", failed));
      Plan waiting = Planner.plan(w, jobs, failed.plusSeconds(9));
      assertEquals(List.of(), created(waiting));
      StepStatus a = waiting.status().steps().get(0);
      assertEquals(StepState.Retrying, a.state());
      assertEquals(1, a.attempts());
      assertEquals(Phase.Started, waiting.status().phase());
      assertEquals("retrying: a", waiting.status().message());
      assertTrue(a.message().startsWith("attempt 1 of 3 failed: BackoffLimitExceeded; next attempt at"), a.message());
      assertEquals(failed.plusSeconds(10), waiting.nextLook(), "wakes exactly when the backoff ends");
      assertTrue(statusPatch(waiting).events().stream().anyMatch(e -> e.reason().equals("StepRetrying")));

      Plan due = Planner.plan(w, jobs, failed.plusSeconds(10));
      assertEquals(List.of("a"), created(due));
      CreateJob second = (CreateJob) due.actions().stream().filter(x -> x instanceof CreateJob).findFirst().get();
      assertEquals("2", second.labels().get(Names.LABEL_ATTEMPT));
      assertNotEquals(jobs.get(0).name(), second.jobName());
      assertEquals(Names.jobName("demo", "uid-1", "a", Names.specHash(w.spec()), 2), second.jobName());
      assertEquals(2, due.status().steps().get(0).attempts());
      assertEquals(StepState.Running, due.status().steps().get(0).state());
    }));
    rows.add(new Row("the backoff grows by its factor and stops at maxSeconds", () -> {
      assertEquals(10_000, R.delayMillis(1));
      assertEquals(15_000, R.delayMillis(2), "20 s capped at 15 s");
      Workflow w = wf(spec(retried("a", R)));
      Instant failed = T0.plusSeconds(40);
      List<ObservedJob> jobs = List.of(
          attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(5)),
          attempt(w, "a", 2, JobPhase.FAILED, "BackoffLimitExceeded", failed));
      assertEquals(List.of(), created(Planner.plan(w, jobs, failed.plusMillis(14_999))));
      assertEquals(failed.plusSeconds(15), Planner.plan(w, jobs, failed).nextLook());
      Plan due = Planner.plan(w, jobs, failed.plusSeconds(15));
      assertEquals(List.of("a"), created(due));
      assertEquals(3, due.status().steps().get(0).attempts());
    }));
    rows.add(new Row("exhausted retries fail the workflow with the attempt count", () -> {
      Workflow w = wf(spec(retried("a", R), step("b", "a")));
      List<ObservedJob> jobs = List.of(
          attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0),
          attempt(w, "a", 2, JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(20)),
          attempt(w, "a", 3, JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(50)));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(500));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("step a failed: BackoffLimitExceeded (attempt 3 of 3)", p.status().message());
      assertNull(p.nextLook());
    }));
    rows.add(new Row("an exit code the podFailurePolicy fails at once is not retried", () -> {
      Workflow w = wf(spec(retried("a", new Retries(3, 10, 2, 60, List.of(), List.of(2)))));
      List<ObservedJob> jobs = List.of(attempt(w, "a", 1, JobPhase.FAILED, "PodFailurePolicy", T0));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(3600));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("step a failed: PodFailurePolicy (attempt 1 of 4, its exit code is not retried)",
          p.status().message());
    }));
    rows.add(new Row("the step's retries win over the workflow's, and no retries means no retry", () -> {
      Step own = retried("a", new Retries(0, 1, 1, 1));
      WorkflowSpec spec = new WorkflowSpec(60, List.of(own, step("b")), Map.of(), Map.of(), null,
          null, R);
      assertEquals(0, spec.retriesOf(own).limit());
      assertEquals(R, spec.retriesOf(spec.steps().get(1)));
      Workflow w = wf(spec);
      Plan p = Planner.plan(w, List.of(attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0)),
          T0.plusSeconds(100));
      assertEquals(Phase.Failed, p.status().phase());
      assertNull(p.status().steps().get(0).attempts(), "a step that cannot retry shows no count");
    }));
    rows.add(new Row("a step that succeeds on attempt 2 lets its dependants start", () -> {
      Workflow w = wf(spec(retried("a", R), step("b", "a")));
      List<ObservedJob> jobs = List.of(
          attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0),
          attempt(w, "a", 2, JobPhase.SUCCEEDED, null, T0.plusSeconds(30)));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(31));
      assertEquals(List.of("b"), created(p));
      assertEquals(StepState.Succeeded, p.status().steps().get(0).state());
      assertEquals(2, p.status().steps().get(0).attempts());
    }));
    rows.add(new Row("an attempt whose Job was cleaned away during the backoff is remembered by the status", () -> {
      Workflow w = wf(spec(retried("a", R)));
      Instant failed = T0.plusSeconds(5);
      List<ObservedJob> jobs = List.of(attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", failed));
      Workflow seen = withStatus(w, Planner.plan(w, jobs, failed.plusSeconds(1)).status());
      Plan gone = Planner.plan(seen, List.of(), failed.plusSeconds(2));
      assertEquals(List.of(), created(gone), "not a fresh attempt 1, and not before the backoff");
      assertEquals(failed.plusSeconds(10), gone.nextLook());
      Plan due = Planner.plan(seen, List.of(), failed.plusSeconds(10));
      CreateJob c = (CreateJob) due.actions().stream().filter(x -> x instanceof CreateJob).findFirst().get();
      assertEquals("2", c.labels().get(Names.LABEL_ATTEMPT));
    }));
    rows.add(new Row("a failed workflow shows the steps that will never run as Skipped", () -> {
      Workflow w = wf(spec(step("a"), step("b"), step("c", "a"), step("d", "c")));
      List<ObservedJob> jobs = List.of(job(w, "a", JobPhase.FAILED, "BackoffLimitExceeded", T0),
          job(w, "b", JobPhase.RUNNING, null, T0));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(2));
      Map<String, StepState> states = new java.util.TreeMap<>();
      p.status().steps().forEach(s -> states.put(s.name(), s.state()));
      assertEquals(Map.of("a", StepState.Failed, "b", StepState.Running, "c", StepState.Skipped,
          "d", StepState.Skipped), states);
      assertEquals(List.of("a", "b"), p.status().startedSteps(), "Skipped steps never started");
      assertEquals(List.of(), created(p));
      assertEquals(List.of(), deleted(p), "running Jobs are left to finish");
    }));
    rows.add(new Row("a step waiting for its retry gets none once another step fails the workflow", () -> {
      Workflow w = wf(spec(retried("a", R), step("b")));
      List<ObservedJob> jobs = List.of(attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0),
          job(w, "b", JobPhase.FAILED, "BackoffLimitExceeded", T0));
      Plan p = Planner.plan(w, jobs, T0.plusSeconds(100));
      assertEquals(List.of(), created(p));
      assertEquals(Phase.Failed, p.status().phase());
      StepStatus a = p.status().steps().get(0);
      assertEquals(StepState.Failed, a.state());
      assertEquals("attempt 1 of 3 failed: BackoffLimitExceeded; not retried: the workflow failed", a.message());
    }));
    rows.add(new Row("a retry holds its parallelism slot, so a ready step does not take it", () -> {
      WorkflowSpec spec = new WorkflowSpec(60, List.of(retried("a", R), step("b")), Map.of(),
          Map.of(), 1L, null);
      Workflow w = wf(spec);
      List<ObservedJob> jobs = List.of(attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0));
      assertEquals(List.of(), created(Planner.plan(w, jobs, T0.plusSeconds(1))));
      assertEquals(List.of("a"), created(Planner.plan(w, jobs, T0.plusSeconds(10))));
    }));
    rows.add(new Row("retries change the spec hash only when set", () -> {
      WorkflowSpec plain = spec(step("a"));
      assertEquals(Names.specHash(plain), Names.specHash(new WorkflowSpec(60, plain.steps(),
          Map.of(), Map.of(), null, null, null)));
      assertNotEquals(Names.specHash(plain), Names.specHash(spec(retried("a", R))));
      assertEquals(Names.jobName("w", "u", "a", "h"), Names.jobName("w", "u", "a", "h", 1),
          "attempt 1 keeps the name it always had");
    }));
    rows.add(new Row("bad retries are named", () -> {
      List<String> p = Validation.problems(spec(retried("a",
          new Retries(11, 0, 0.5, 0, List.of(0, 3), List.of(3, 256)))));
      assertEquals(List.of(
          "step a: retries.limit must be between 0 and 10, got 11",
          "step a: retries.backoff.seconds must be at least 1, got 0",
          "step a: retries.backoff.factor must be at least 1, got 0.5",
          "step a: retries.backoff.maxSeconds must be at least 1, got 0",
          "step a: retries.onExitCodes: exit code 0 is outside 1..255",
          "step a: retries.neverOnExitCodes: exit code 256 is outside 1..255",
          "step a: retries: exit code 3 is in both onExitCodes and neverOnExitCodes"), p);
    }));
    return rows;
  }
}
