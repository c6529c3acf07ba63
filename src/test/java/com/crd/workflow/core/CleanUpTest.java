package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.DeleteWorkflow;
import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** ttlSecondsAfterFinished, --default-ttl and jobRetention: one row per rule. */
class CleanUpTest {
  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> rules() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static final Instant DONE = T0.plusSeconds(10);

  /** a then b, both succeeded: Completed at DONE. */
  static World completed(Long ttl, Long onSuccess, Long onFailure) {
    return finished(ttl, onSuccess, onFailure, JobPhase.SUCCEEDED);
  }

  static World finished(Long ttl, Long onSuccess, Long onFailure, JobPhase b) {
    World w = new World(wf(spec(step("a"), step("b", "a")).withCleanUp(ttl, onSuccess, onFailure)));
    w.apply(w.plan(T0), T0);
    w.finish(w.jobs().get(0).name(), JobPhase.SUCCEEDED, null, T0.plusSeconds(5));
    w.apply(w.plan(T0.plusSeconds(5)), T0.plusSeconds(5));
    String jb = w.jobs().stream().filter(j -> "b".equals(j.step())).findFirst().get().name();
    w.finish(jb, b, b == JobPhase.FAILED ? "BackoffLimitExceeded" : null, DONE);
    w.apply(w.plan(DONE), DONE);
    return w;
  }

  static List<DeleteWorkflow> workflowDeletes(Plan p) {
    return p.actions().stream().filter(a -> a instanceof DeleteWorkflow).map(a -> (DeleteWorkflow) a).toList();
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("a finished workflow is deleted exactly ttlSecondsAfterFinished after it finished, never earlier", () -> {
      World w = completed(60L, null, null);
      assertEquals(Phase.Completed, w.phase());
      Plan early = w.plan(DONE.plusSeconds(59));
      assertEquals(List.of(), early.actions());
      assertEquals(DONE.plusSeconds(60), early.nextLook(), "the loop wakes for it");
      Plan due = w.plan(DONE.plusSeconds(60));
      assertEquals(List.of(new DeleteWorkflow("ns", "demo", "uid-1",
          "finished 60s ago (ttlSecondsAfterFinished)")), due.actions());
    }));
    rows.add(new Row("a Failed workflow is deleted the same way", () -> {
      World w = finished(0L, null, null, JobPhase.FAILED);
      assertEquals(Phase.Failed, w.phase());
      assertEquals(1, workflowDeletes(w.plan(DONE)).size());
    }));
    rows.add(new Row("a running workflow is never deleted, whatever its TTL", () -> {
      World w = new World(wf(spec(step("a")).withCleanUp(0L, 0L, 0L)));
      w.apply(w.plan(T0), T0);
      Plan p = Planner.plan(w.workflow, w.jobs(), T0.plusSeconds(30), Integer.MAX_VALUE, 0L);
      assertEquals(List.of(), workflowDeletes(p));
      assertEquals(List.of(), deleted(p));
    }));
    rows.add(new Row("--default-ttl applies to a workflow without its own; the workflow's own wins", () -> {
      World none = completed(null, null, null);
      assertEquals(List.of(), Planner.plan(none.workflow, none.jobs(), DONE.plusSeconds(99_999)).actions(),
          "no TTL anywhere: kept forever");
      assertNull(Planner.plan(none.workflow, none.jobs(), DONE.plusSeconds(1)).nextLook());
      Plan byDefault = Planner.plan(none.workflow, none.jobs(), DONE.plusSeconds(30), Integer.MAX_VALUE, 30L);
      assertEquals(1, workflowDeletes(byDefault).size());
      World own = completed(120L, null, null);
      Plan p = Planner.plan(own.workflow, own.jobs(), DONE.plusSeconds(30), Integer.MAX_VALUE, 30L);
      assertEquals(List.of(), p.actions());
      assertEquals(DONE.plusSeconds(120), p.nextLook());
    }));
    rows.add(new Row("jobRetention.onSuccess deletes a Completed workflow's Jobs on time; the status stays", () -> {
      World w = completed(null, 30L, 3600L);
      Plan early = w.plan(DONE.plusSeconds(29));
      assertEquals(List.of(), early.actions());
      assertEquals(DONE.plusSeconds(30), early.nextLook());
      Plan due = w.plan(DONE.plusSeconds(30));
      assertEquals(2, deleted(due).size());
      assertNull(statusPatch(due));
      WorkflowStatus kept = w.workflow.status();
      w.apply(due, DONE.plusSeconds(30));
      assertEquals(List.of(), w.jobs());
      Plan after = w.plan(DONE.plusSeconds(600));
      assertEquals(List.of(), after.actions(), "no Job is re-created, the status is not rewritten");
      assertEquals(kept, after.status());
      assertNull(after.nextLook());
    }));
    rows.add(new Row("jobRetention.onFailure applies to a Failed workflow, onSuccess does not", () -> {
      World w = finished(null, 0L, 50L, JobPhase.FAILED);
      assertEquals(List.of(), deleted(w.plan(DONE.plusSeconds(49))));
      assertEquals(2, deleted(w.plan(DONE.plusSeconds(50))).size());
    }));
    rows.add(new Row("with both, the Jobs go at their retention and the Workflow at its TTL", () -> {
      World w = completed(100L, 10L, null);
      assertEquals(DONE.plusSeconds(10), w.plan(DONE.plusSeconds(1)).nextLook());
      w.apply(w.plan(DONE.plusSeconds(10)), DONE.plusSeconds(10));
      assertEquals(List.of(), w.jobs());
      assertEquals(DONE.plusSeconds(100), w.plan(DONE.plusSeconds(11)).nextLook());
    }));
    rows.add(new Row("a workflow finishing now writes its final status first, and is deleted on a later plan", () -> {
      World w = new World(wf(spec(step("a")).withCleanUp(0L, 0L, 0L)));
      w.apply(w.plan(T0), T0);
      w.finish(w.jobs().get(0).name(), JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(3));
      Plan finishing = w.plan(T0.plusSeconds(3));
      assertEquals(Phase.Failed, statusPatch(finishing).status().phase());
      assertEquals(List.of(), workflowDeletes(finishing));
      assertEquals(List.of(), deleted(finishing));
      assertEquals(T0.plusSeconds(3), finishing.nextLook(), "and asks to be looked at again at once");
      w.apply(finishing, T0.plusSeconds(3));
      assertEquals(1, workflowDeletes(w.plan(T0.plusSeconds(3))).size());
    }));
    rows.add(new Row("a re-created Workflow of the same name is protected by the uid on the delete", () -> {
      World w = completed(0L, null, null);
      assertEquals("uid-1", workflowDeletes(w.plan(DONE)).get(0).uid());
    }));
    return rows;
  }
}
