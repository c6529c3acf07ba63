package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** spec.activeDeadlineSeconds: one row per rule. */
class DeadlinesTest {
  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> rules() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  /** a, then b and c after it; the whole workflow may take 100 s, each step 600 s. */
  static World started() {
    World w = new World(wf(new WorkflowSpec(600, List.of(step("a"), step("b", "a"), step("c", "b")))
        .withDeadline(100L)));
    w.apply(w.plan(T0), T0);
    String a = w.jobs().get(0).name();
    w.finish(a, JobPhase.SUCCEEDED, null, T0.plusSeconds(30));
    w.apply(w.plan(T0.plusSeconds(30)), T0.plusSeconds(30));
    return w;
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("the loop is told to wake exactly when the deadline runs out", () -> {
      World w = started();
      Plan p = w.plan(T0.plusSeconds(31));
      assertEquals(Phase.Started, p.status().phase());
      assertEquals(T0.plusSeconds(100), p.nextLook(), "the deadline before b's step timeout");
      World slow = new World(wf(spec(step("a")).withDeadline(30L)));
      slow.apply(slow.plan(T0), T0);
      assertEquals(T0.plusSeconds(30), slow.plan(T0.plusSeconds(1)).nextLook(),
          "the deadline comes before a's 60 s step timeout");
    }));
    rows.add(new Row("a second before the deadline nothing is stopped", () -> {
      World w = started();
      Plan p = w.plan(T0.plusSeconds(99));
      assertEquals(Phase.Started, p.status().phase());
      assertEquals(List.of(), deleted(p));
    }));
    rows.add(new Row("at the deadline: Failed with its message, running Job deleted, the rest Skipped", () -> {
      World w = started();
      String b = w.jobs().stream().filter(j -> "b".equals(j.step())).findFirst().get().name();
      Plan p = w.plan(T0.plusSeconds(100));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals("workflow exceeded its deadline of 100s", p.status().message());
      assertEquals(Statuses.REASON_DEADLINE, Statuses.activeReason(p.status()));
      assertEquals(List.of(b), deleted(p));
      assertEquals(List.of(), created(p));
      List<StepState> states = p.status().steps().stream().map(StepStatus::state).toList();
      assertEquals(List.of(StepState.Succeeded, StepState.Failed, StepState.Skipped), states);
      assertEquals("stopped: the workflow exceeded its deadline", p.status().steps().get(1).message());
      assertTrue(statusPatch(p).events().stream().anyMatch(e -> e.reason().equals("Failed")
          && e.message().equals("workflow exceeded its deadline of 100s")));
      assertNull(p.nextLook());
    }));
    rows.add(new Row("after the deadline a Job still running is deleted again, and nothing else changes", () -> {
      World w = started();
      String b = w.jobs().stream().filter(j -> "b".equals(j.step())).findFirst().get().name();
      Plan failed = w.plan(T0.plusSeconds(100));
      w.workflow = withStatus(w.workflow, failed.status()); // the status write went through, the delete did not
      Plan again = w.plan(T0.plusSeconds(200));
      assertEquals(List.of(b), deleted(again));
      assertNull(statusPatch(again), "the final status stands");
      w.apply(again, T0.plusSeconds(200));
      assertEquals(List.of(), w.plan(T0.plusSeconds(300)).actions(), "then a no-op");
    }));
    rows.add(new Row("a waiting retry is skipped, not retried, when the deadline runs out", () -> {
      Retries r = new Retries(2, 50, 1, 50);
      Step a = step("a");
      World w = new World(wf(spec(new Step("a", a.image(), a.command(), a.dependsOn(), a.container(), r))
          .withDeadline(40L)));
      w.apply(w.plan(T0), T0);
      w.finish(w.jobs().get(0).name(), JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(10));
      Plan retrying = w.plan(T0.plusSeconds(10));
      assertEquals(T0.plusSeconds(40), retrying.nextLook(), "the deadline before the 50 s backoff");
      w.apply(retrying, T0.plusSeconds(10));
      Plan p = w.plan(T0.plusSeconds(40));
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals(StepState.Skipped, p.status().steps().get(0).state());
      assertEquals(List.of(), created(p));
    }));
    rows.add(new Row("without a deadline nothing changes: no wake-up for it, no failure", () -> {
      World w = new World(wf(spec(step("a"))));
      w.apply(w.plan(T0), T0);
      assertEquals(T0.plusSeconds(60).plusMillis(1), w.plan(T0.plusSeconds(1)).nextLook());
      assertEquals(Phase.Started, w.plan(T0.plusSeconds(59)).status().phase());
    }));
    rows.add(new Row("the deadline is not part of the spec hash: changing it restarts nothing", () -> {
      WorkflowSpec s = spec(step("a"));
      assertEquals(Names.specHash(s), Names.specHash(s.withDeadline(10L)));
    }));
    return rows;
  }
}
