package com.crd.workflow.observe;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.PodStory;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pods in the mirror: they wake their workflow and ride along with their Job. */
class MirrorPodsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final AtomicInteger wakes = new AtomicInteger();
  private final Mirror mirror = new Mirror(wakes::incrementAndGet);

  private static Workflow wf(String name, String uid) {
    return new Workflow("ns", name, uid, Map.of(), 1, "1", false, new WorkflowSpec(60, List.of()),
        null, null);
  }

  private static ObservedJob job(String name, String uid) {
    return new ObservedJob("ns", name, Map.of(Names.LABEL_MANAGED_BY, Names.MANAGER,
        Names.LABEL_WORKFLOW_UID, uid), List.of(), JobPhase.RUNNING, null, T0, T0, null, false, null);
  }

  private static PodStory pod(String name, String job, String waiting, Instant created) {
    return new PodStory("ns", name, job, "Pending", waiting, null, null, null, null, false, created);
  }

  private PodStory podOf(String wfName) {
    Workflow w = mirror.workflow("ns", wfName);
    return mirror.jobsOf(w).get(0).pod();
  }

  @Test
  @DisplayName("a pod event wakes its workflow, and the tick sees the Job with its newest pod")
  void podWakesItsWorkflow() {
    mirror.putWorkflow(wf("a", "ua"));
    mirror.putWorkflow(wf("b", "ub"));
    mirror.putJob(job("a-1", "ua"));
    mirror.putJob(job("b-1", "ub"));
    mirror.take(true, List.of());
    int before = wakes.get();
    mirror.putPod(pod("a-1-old", "a-1", "ErrImagePull", T0));
    mirror.putPod(pod("a-1-new", "a-1", "ImagePullBackOff", T0.plusSeconds(5)));
    assertTrue(wakes.get() > before, "a pod change wakes the loop");
    Mirror.Observation o = mirror.take(false, List.of());
    assertEquals(List.of("a"), o.workflows().stream().map(Workflow::name).toList());
    assertEquals("ImagePullBackOff", o.jobsOf(o.workflows().get(0)).get(0).pod().waitingReason());
    assertNull(podOf("b"), "a Job without pods has none attached");
  }

  @Test
  @DisplayName("a repeated pod event wakes nothing; deleted and unlisted pods are forgotten")
  void repeatsAndDeletions() {
    mirror.putWorkflow(wf("a", "ua"));
    mirror.putJob(job("a-1", "ua"));
    mirror.putPod(pod("a-1-x", "a-1", "ImagePullBackOff", T0));
    mirror.take(true, List.of());
    int before = wakes.get();
    mirror.putPod(pod("a-1-x", "a-1", "ImagePullBackOff", T0));
    assertEquals(before, wakes.get());
    assertEquals(List.of(), mirror.take(false, List.of()).workflows());
    mirror.removePod("ns", "a-1-x");
    assertNull(podOf("a"));
    assertEquals(1, mirror.take(false, List.of()).workflows().size(), "losing a pod is a change");
    mirror.putPod(pod("a-1-y", "a-1", "ErrImagePull", T0));
    assertEquals("a-1-y", podOf("a").name());
    mirror.putPod(pod("a-1-y", "a-1", null, T0));
    assertNull(podOf("a"), "once it runs, its waiting reason is gone, and so is the pod");
    assertEquals(List.of(), mirror.pods(), "a running pod is not kept");
    mirror.putPod(pod("a-1-z", "a-1", "ErrImagePull", T0));
    mirror.retainPods("ns", Set.of(), k -> false);
    assertNull(podOf("a"));
    assertEquals(List.of(), mirror.pods());
  }

  @Test
  @DisplayName("a pod seen before its Job is attached once the Job arrives; one of no Job is not kept")
  void podBeforeJob() {
    mirror.putWorkflow(wf("a", "ua"));
    mirror.putPod(pod("a-1-x", "a-1", "ImagePullBackOff", T0));
    mirror.putPod(pod("stray", null, "ImagePullBackOff", T0));
    mirror.putJob(job("a-1", "ua"));
    assertEquals("a-1-x", podOf("a").name());
    assertEquals(1, mirror.pods().size());
  }
}
