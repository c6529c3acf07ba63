package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** Parallelism, the global cap, Kueue's Queued state and the spec hash of pod fields: one row each. */
class PlannerLimitsTest {
  /** root, then six steps that all depend on it only. */
  static final WorkflowSpec FAN_OUT_6 = spec(step("root"), step("f1", "root"), step("f2", "root"),
      step("f3", "root"), step("f4", "root"), step("f5", "root"), step("f6", "root"));

  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> scenarios() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static WorkflowSpec limited(WorkflowSpec s, Long parallelism, String queue) {
    return new WorkflowSpec(s.maxStepTimeout(), s.steps(), s.stepDefaults(), s.podTemplate(), parallelism, queue);
  }

  static Workflow wfAt(String name, WorkflowSpec spec, Instant created) {
    return new Workflow("ns", name, "uid-" + name, Map.of(), 1, "1", false, spec, null, null, created);
  }

  static ObservedJob queued(Workflow w, String step, Instant created) {
    String hash = Names.specHash(w.spec());
    return new ObservedJob(w.namespace(), Names.jobName(w.name(), w.uid(), step, hash),
        Names.jobLabels(w, step, hash), Names.propagatedKeys(w), JobPhase.RUNNING, null, created, null, null,
        false, true, null);
  }

  static ObservedJob admitted(ObservedJob q, Instant at) {
    return new ObservedJob(q.namespace(), q.name(), q.labels(), q.propagatedLabels(), JobPhase.RUNNING, null,
        q.creationTime(), at, null, false, false, at);
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("parallelism 2 over a fan-out of 6: never more than 2 running, all 7 complete", () -> {
      World world = new World(wf(limited(FAN_OUT_6, 2L, null)));
      Instant now = T0;
      int maxRunning = 0;
      for (int tick = 0; tick < 50 && world.phase() != Phase.Completed; tick++) {
        now = now.plusSeconds(1);
        world.apply(world.plan(now), now);
        long running = world.jobs().stream().filter(j -> j.phase() == JobPhase.RUNNING).count();
        maxRunning = (int) Math.max(maxRunning, running);
        assertTrue(running <= 2, "tick " + tick + ": " + running + " running");
        // finish the oldest running Job each tick
        world.jobs().stream().filter(j -> j.phase() == JobPhase.RUNNING).findFirst()
            .ifPresent(j -> world.finish(j.name(), JobPhase.SUCCEEDED, null, T0));
      }
      assertEquals(Phase.Completed, world.phase());
      assertEquals(2, maxRunning, "the limit is used, not just respected");
    }));
    rows.add(new Row("ready steps beyond parallelism start in order: by wave, then by name", () -> {
      Workflow w = wf(limited(spec(step("root"), step("zeta", "root"), step("alpha", "root"), step("mid", "root")), 2L, null));
      Plan p = Planner.plan(w, List.of(job(w, "root", JobPhase.SUCCEEDED)), T0);
      assertEquals(List.of("alpha", "mid"), created(p));
      assertEquals("running: alpha, mid", p.status().message());
    }));
    rows.add(new Row("parallelism counts the workflow's running Jobs, not its finished ones", () -> {
      Workflow w = wf(limited(FAN_OUT_6, 2L, null));
      Plan p = Planner.plan(w, List.of(job(w, "root", JobPhase.SUCCEEDED), job(w, "f1", JobPhase.RUNNING),
          job(w, "f2", JobPhase.SUCCEEDED)), T0);
      assertEquals(List.of("f3"), created(p));
    }));
    rows.add(new Row("the global cap across 3 workflows starts the oldest first", () -> {
      Workflow young = wfAt("young", spec(step("a")), T0.plusSeconds(20));
      Workflow old = wfAt("old", spec(step("a")), T0);
      Workflow middle = wfAt("middle", spec(step("a")), T0.plusSeconds(10));
      Map<String, Integer> one = Capacity.mayStart(List.of(young, old, middle), List.of(), T0.plusSeconds(30), 1);
      assertEquals(Map.of("ns/old", 1, "ns/middle", 0, "ns/young", 0), one);
      Map<String, Integer> two = Capacity.mayStart(List.of(young, old, middle), List.of(), T0.plusSeconds(30), 2);
      assertEquals(Map.of("ns/old", 1, "ns/middle", 1, "ns/young", 0), two);
      assertEquals(List.of(), created(Planner.plan(young, List.of(), T0, two.get("ns/young"))));
      assertEquals(List.of("a"), created(Planner.plan(old, List.of(), T0, two.get("ns/old"))));
    }));
    rows.add(new Row("the global cap: a big old workflow does not take every slot from a small young one", () -> {
      Workflow big = wfAt("big", FAN_OUT_6, T0);
      Workflow small = wfAt("small", spec(step("a")), T0.plusSeconds(10));
      List<ObservedJob> jobs = new ArrayList<>(List.of(job(big, "root", JobPhase.SUCCEEDED, null, T0),
          job(big, "f1", JobPhase.RUNNING, null, T0)));
      Map<String, Integer> may = Capacity.mayStart(List.of(big, small), jobs, T0.plusSeconds(30), 3);
      assertEquals(Map.of("ns/big", 1, "ns/small", 1), may, "2 free slots: one each, fewest running first");
    }));
    rows.add(new Row("the global cap counts running Jobs of every workflow; none free, none start", () -> {
      Workflow a = wfAt("a", FAN_OUT_6, T0);
      Workflow b = wfAt("b", spec(step("x")), T0);
      List<ObservedJob> jobs = List.of(job(a, "root", JobPhase.SUCCEEDED, null, T0),
          job(a, "f1", JobPhase.RUNNING, null, T0), job(a, "f2", JobPhase.RUNNING, null, T0));
      assertEquals(Map.of("ns/a", 0, "ns/b", 0), Capacity.mayStart(List.of(a, b), jobs, T0, 2));
    }));
    rows.add(new Row("the global cap does not count Jobs a queue holds suspended", () -> {
      Workflow a = wfAt("a", limited(spec(step("q")), null, "team"), T0);
      Workflow b = wfAt("b", spec(step("x")), T0.plusSeconds(1));
      assertEquals(Map.of("ns/a", 0, "ns/b", 1),
          Capacity.mayStart(List.of(a, b), List.of(queued(a, "q", T0)), T0.plusSeconds(5), 1));
    }));
    rows.add(new Row("with a queueName a new step shows Queued at once", () -> {
      Plan p = Planner.plan(wf(limited(spec(step("a")), null, "team")), List.of(), T0);
      assertEquals(List.of("a"), created(p));
      assertEquals(StepState.Queued, p.status().steps().get(0).state());
      assertEquals("queued: a", p.status().message());
      assertEquals(List.of("Started", "StepQueued"), statusPatch(p).events().stream().map(WorkflowEvent::reason).toList());
    }));
    rows.add(new Row("a Queued step does not time out while queued, and does once admitted", () -> {
      Workflow w = wf(limited(spec(step("a"), step("b", "a")), null, "team"));
      ObservedJob held = queued(w, "a", T0);
      Plan waiting = Planner.plan(w, List.of(held), T0.plusSeconds(3600));
      assertEquals(Phase.Started, waiting.status().phase(), "an hour in the queue is not a timeout");
      assertEquals(StepState.Queued, waiting.status().steps().get(0).state());
      assertEquals("queued in team, waiting for admission", waiting.status().steps().get(0).message());
      ObservedJob running = admitted(held, T0.plusSeconds(3600));
      Plan justAdmitted = Planner.plan(w, List.of(running), T0.plusSeconds(3650));
      assertEquals(StepState.Running, justAdmitted.status().steps().get(0).state());
      Plan late = Planner.plan(w, List.of(running), T0.plusSeconds(3661));
      assertEquals(Phase.Failed, late.status().phase());
      assertEquals("step a timed out after 60s", late.status().message());
    }));
    rows.add(new Row("an admitted Job whose start time is not set yet is timed from its resume", () -> {
      Workflow w = wf(limited(spec(step("a")), null, "team"));
      ObservedJob q = queued(w, "a", T0);
      ObservedJob resumed = new ObservedJob(q.namespace(), q.name(), q.labels(), q.propagatedLabels(),
          JobPhase.RUNNING, null, T0, null, null, false, false, T0.plusSeconds(600));
      assertEquals(Phase.Started, Planner.plan(w, List.of(resumed), T0.plusSeconds(630)).status().phase());
    }));
    rows.add(new Row("a queued step holds a parallelism slot: admitted later, it must not exceed the limit", () -> {
      Workflow w = wf(limited(FAN_OUT_6, 1L, "team"));
      Plan p = Planner.plan(w, List.of(job(w, "root", JobPhase.SUCCEEDED), queued(w, "f1", T0)), T0);
      assertEquals(List.of(), created(p));
    }));
    rows.add(new Row("the spec hash: a memory limit, a secret name or a pod field changes it", () -> {
      WorkflowSpec base = spec(new Step("a", "img", null, List.of(), Map.of("resources", Map.of("limits", Map.of("memory", "1Gi")))));
      WorkflowSpec memory = spec(new Step("a", "img", null, List.of(), Map.of("resources", Map.of("limits", Map.of("memory", "2Gi")))));
      assertNotEquals(Names.specHash(base), Names.specHash(memory));
      WorkflowSpec secretA = new WorkflowSpec(60, base.steps(), Map.of("envFrom", List.of(Map.of("secretRef", Map.of("name", "a")))), Map.of(), null, null);
      WorkflowSpec secretB = new WorkflowSpec(60, base.steps(), Map.of("envFrom", List.of(Map.of("secretRef", Map.of("name", "b")))), Map.of(), null, null);
      assertNotEquals(Names.specHash(secretA), Names.specHash(secretB));
      WorkflowSpec sa = new WorkflowSpec(60, base.steps(), Map.of(), Map.of("serviceAccountName", "x"), null, null);
      assertNotEquals(Names.specHash(base), Names.specHash(sa));
      assertNotEquals(Names.specHash(base), Names.specHash(limited(base, null, "q")));
    }));
    rows.add(new Row("the spec hash: parallelism and key order do not change it; a plain spec keeps its old hash", () -> {
      WorkflowSpec plain = spec(step("a"), step("b", "a"));
      assertEquals(Names.specHash(plain), Names.specHash(limited(plain, 3L, null)));
      Map<String, Object> ab = new java.util.LinkedHashMap<>();
      ab.put("requests", Map.of("cpu", "1"));
      ab.put("limits", Map.of("cpu", "2"));
      Map<String, Object> ba = new java.util.LinkedHashMap<>();
      ba.put("limits", Map.of("cpu", "2"));
      ba.put("requests", Map.of("cpu", "1"));
      assertEquals(Names.specHash(spec(new Step("a", "i", null, List.of(), Map.of("resources", ab)))),
          Names.specHash(spec(new Step("a", "i", null, List.of(), Map.of("resources", ba)))));
      // The canonical form of a spec without the new fields is unchanged: no restart on upgrade.
      String canon = "maxStepTimeout=60\nstep=\"a\"|image=\"busybox:1.36\"|command=[\"sh\",\"-c\",\"echo a\"]|dependsOn=[]"
          + "\nstep=\"b\"|image=\"busybox:1.36\"|command=[\"sh\",\"-c\",\"echo b\"]|dependsOn=[\"a\"]";
      assertEquals(Names.sha256(canon).substring(0, 16), Names.specHash(plain));
    }));
    rows.add(new Row("an invalid pod field fails only that workflow, InvalidSpec, with every problem named", () -> {
      WorkflowSpec bad = new WorkflowSpec(60, List.of(new Step("a", "img", null, List.of(), Map.of(
          "resources", Map.of("requests", Map.of("cpu", "2 cores")),
          "volumeMounts", List.of(Map.of("name", "nope", "mountPath", "/x"))))), Map.of(), Map.of(), 0L, null);
      Plan p = Planner.plan(wf(bad), List.of(), T0);
      assertEquals(Phase.Failed, p.status().phase());
      assertEquals(List.of(), created(p));
      assertEquals("InvalidSpec", Statuses.activeReason(p.status()));
      assertEquals("spec.parallelism must be at least 1, got 0; step a: resources.requests.cpu: \"2 cores\" is not a"
          + " quantity (e.g. 500m, 2, 256Mi, 1Gi); step a: volumeMounts[0] names volume \"nope\", which"
          + " spec.podTemplate.volumes does not declare", p.status().message());
      assertEquals(List.of("InvalidSpec"), statusPatch(p).events().stream().map(WorkflowEvent::reason).toList());
    }));
    return rows;
  }
}
