package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static com.crd.workflow.core.RetriesTest.attempt;
import static com.crd.workflow.core.RetriesTest.retried;
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

/** Messages that say what the pod said: exit codes, OOMKilled, why a pod does not start. */
class PodMessagesTest {
  static final Retries TWO = new Retries(2, 10, 2, 60);
  static final String PULL = "Back-off pulling image \"registry.example/app:v9\"";
  static final String NODES = "0/3 nodes are available: 3 Insufficient memory.";

  record Row(String name, Executable check) {}

  @TestFactory
  Stream<DynamicTest> messages() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), r.check()));
  }

  static PodStory exited(int code) {
    return new PodStory("ns", "p", "j", "Failed", null, null, "Error", code, null, false, T0);
  }

  static PodStory waiting(String reason, String message) {
    return new PodStory("ns", "p", "j", "Pending", reason, message, null, null, null, false, T0);
  }

  static PodStory unschedulable() {
    return new PodStory("ns", "p", "j", "Pending", null, null, null, null, NODES, false, T0);
  }

  static ObservedJob running(Workflow w, String step, PodStory pod) {
    return job(w, step, JobPhase.RUNNING, null, T0).withPod(pod);
  }

  static String stepMessage(Plan p, String step) {
    return p.status().steps().stream().filter(s -> s.name().equals(step)).findFirst().get().message();
  }

  static Step withMemory(Step s, Object limit) {
    return new Step(s.stepName(), s.image(), s.command(), s.dependsOn(),
        Map.of("resources", Map.of("limits", Map.of("memory", limit))), s.retries());
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("exhausted retries name the exit code and the attempt count", () -> {
      Workflow w = wf(spec(retried("test", TWO)));
      Plan p = Planner.plan(w, List.of(
          attempt(w, "test", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0).withPod(exited(2)),
          attempt(w, "test", 2, JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(20)).withPod(exited(2)),
          attempt(w, "test", 3, JobPhase.FAILED, "BackoffLimitExceeded", T0.plusSeconds(60)).withPod(exited(2))),
          T0.plusSeconds(61));
      assertEquals("step test failed: exit code 2 (attempt 3 of 3)", p.status().message());
    }));
    rows.add(new Row("a retried attempt says its exit code and when the next one starts", () -> {
      Workflow w = wf(spec(retried("test", TWO)));
      Plan p = Planner.plan(w, List.of(attempt(w, "test", 1, JobPhase.FAILED,
          "BackoffLimitExceeded", T0).withPod(exited(2))), T0.plusSeconds(1));
      assertTrue(stepMessage(p, "test").startsWith("attempt 1 of 3 failed: exit code 2; next attempt at"),
          stepMessage(p, "test"));
    }));
    rows.add(new Row("OOMKilled names the step's memory limit", () -> {
      Workflow w = wf(spec(withMemory(step("train"), "512Mi")));
      Plan p = Planner.plan(w, List.of(job(w, "train", JobPhase.FAILED, "BackoffLimitExceeded", T0)
          .withPod(new PodStory("ns", "p", "j", "Failed", null, null, "OOMKilled", 137, null, false, T0))),
          T0.plusSeconds(5));
      assertEquals("step train failed: OOMKilled (memory limit 512Mi)", p.status().message());
    }));
    rows.add(new Row("OOMKilled without a limit says only OOMKilled", () -> {
      Workflow w = wf(spec(step("train")));
      Plan p = Planner.plan(w, List.of(job(w, "train", JobPhase.FAILED, "BackoffLimitExceeded", T0)
          .withPod(new PodStory("ns", "p", "j", "Failed", null, null, "OOMKilled", 137, null, false, T0))),
          T0.plusSeconds(5));
      assertEquals("step train failed: OOMKilled", p.status().message());
    }));
    rows.add(new Row("a memory limit written as a number is shown as written", () -> {
      assertEquals("536870912", Attempts.memoryLimit(Map.of("resources",
          Map.of("limits", Map.of("memory", 536870912L)))));
      assertNull(Attempts.memoryLimit(Map.of()));
    }));
    rows.add(new Row("a pod lost to eviction says so, not the kill's exit code", () -> {
      Workflow w = wf(spec(step("a")));
      Plan p = Planner.plan(w, List.of(job(w, "a", JobPhase.FAILED, "BackoffLimitExceeded", T0)
          .withPod(new PodStory("ns", "p", "j", "Failed", null, null, "Error", 137, null, true, T0))),
          T0.plusSeconds(5));
      assertEquals("step a failed: evicted (DisruptionTarget)", p.status().message());
    }));
    rows.add(new Row("an exit code never to retry is named", () -> {
      Workflow w = wf(spec(retried("test", new Retries(3, 1, 2, 60, List.of(), List.of(2)))));
      Plan p = Planner.plan(w, List.of(attempt(w, "test", 1, JobPhase.FAILED, "PodFailurePolicy", T0)
          .withPod(exited(2))), T0.plusSeconds(1));
      assertEquals("step test failed: exit code 2 (attempt 1 of 4, its exit code is not retried)",
          p.status().message());
    }));
    rows.add(new Row("a pod that cannot pull its image says so while the step waits", () -> {
      Workflow w = wf(spec(step("a")));
      Plan p = Planner.plan(w, List.of(running(w, "a", waiting("ImagePullBackOff", PULL))),
          T0.plusSeconds(5));
      assertEquals("ImagePullBackOff: " + PULL, stepMessage(p, "a"));
      assertEquals("running: a; step a waits: ImagePullBackOff: " + PULL, p.status().message(),
          "the workflow's own message, the line kubectl get shows, says it too");
    }));
    rows.add(new Row("a retried step's waiting pod shows in the workflow's message without the count", () -> {
      Workflow w = wf(spec(retried("a", TWO)));
      Plan p = Planner.plan(w, List.of(attempt(w, "a", 2, JobPhase.RUNNING, null, null)
          .withPod(unschedulable())), T0.plusSeconds(5));
      assertEquals("attempt 2 of 3; Unschedulable: " + NODES, stepMessage(p, "a"));
      assertEquals("running: a; step a waits: Unschedulable: " + NODES, p.status().message());
    }));
    rows.add(new Row("a workflow message stays within 512 characters", () -> {
      Workflow w = wf(spec(step("a")));
      Plan p = Planner.plan(w, List.of(running(w, "a", waiting("ErrImagePull", "x".repeat(2000)))),
          T0.plusSeconds(5));
      assertTrue(p.status().message().length() <= 512, p.status().message());
    }));
    rows.add(new Row("an unschedulable pod gives the scheduler's message", () -> {
      Workflow w = wf(spec(step("a")));
      Plan p = Planner.plan(w, List.of(running(w, "a", unschedulable())), T0.plusSeconds(5));
      assertEquals("Unschedulable: " + NODES, stepMessage(p, "a"));
    }));
    rows.add(new Row("a later attempt that waits says both", () -> {
      Workflow w = wf(spec(retried("a", TWO)));
      Plan p = Planner.plan(w, List.of(
          attempt(w, "a", 1, JobPhase.FAILED, "BackoffLimitExceeded", T0),
          attempt(w, "a", 2, JobPhase.RUNNING, null, null).withPod(unschedulable())),
          T0.plusSeconds(20));
      assertEquals("attempt 2 of 3; Unschedulable: " + NODES, stepMessage(p, "a"));
    }));
    rows.add(new Row("a step that times out before its pod started says why it never started", () -> {
      Workflow w = wf(spec(step("a")));
      Plan p = Planner.plan(w, List.of(running(w, "a", waiting("ImagePullBackOff", PULL))),
          T0.plusSeconds(61));
      assertEquals("step a timed out after 60s: ImagePullBackOff: " + PULL, p.status().message());
      assertEquals(Statuses.REASON_TIMED_OUT, p.status().conditions().stream()
          .filter(c -> c.type().equals("Failed")).findFirst().get().reason());
      Plan byJob = Planner.plan(w, List.of(job(w, "a", JobPhase.FAILED, "DeadlineExceeded", T0)
          .withPod(unschedulable())), T0.plusSeconds(61));
      assertEquals("step a timed out after 60s: Unschedulable: " + NODES, byJob.status().message());
    }));
    rows.add(new Row("a running pod adds nothing; without a pod the Job's reason stays", () -> {
      Workflow w = wf(spec(step("a"), step("b")));
      PodStory up = new PodStory("ns", "p", "j", "Running", null, null, null, null, null, false, T0);
      Plan p = Planner.plan(w, List.of(running(w, "a", up),
          job(w, "b", JobPhase.FAILED, "BackoffLimitExceeded", T0)), T0.plusSeconds(5));
      assertNull(stepMessage(p, "a"));
      assertEquals("step b failed: BackoffLimitExceeded", p.status().message());
    }));
    rows.add(new Row("a long kubelet message becomes one short line", () -> {
      Workflow w = wf(spec(step("a")));
      String huge = "failed to pull\nimage: " + "x".repeat(2000);
      Plan p = Planner.plan(w, List.of(running(w, "a", waiting("ErrImagePull", huge))),
          T0.plusSeconds(61));
      String m = p.status().message();
      assertTrue(m.length() <= 512, m.length() + "");
      assertFalse(m.contains("\n"));
      assertTrue(m.startsWith("step a timed out after 60s: ErrImagePull: failed to pull image: xxx"), m);
    }));
    return rows;
  }
}
