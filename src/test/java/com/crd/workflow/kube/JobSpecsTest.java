package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Step;
import io.kubernetes.client.openapi.models.V1Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
  @Test
  @DisplayName("a step's Job: owned by its workflow, Never restarted, one retry, the deadline, the labels")
  void desiredJob() {
    Map<String, String> labels = Map.of("team", "a", "app.kubernetes.io/managed-by", "workflow-operator",
        "workflow.crd.com/step", "build");
    V1Job job = JobSpecs.desiredJob(new CreateJob("ns", "wf-build-123", "wf", "uid-1", "hash",
        new Step("build", "busybox:1.36", List.of("sh", "-c", "true"), List.of()), labels,
        List.of("team"), 60L));
    assertEquals("team", job.getMetadata().getAnnotations().get("workflow.crd.com/propagated-labels"));
    assertEquals("wf-build-123", job.getMetadata().getName());
    assertEquals(labels, job.getMetadata().getLabels());
    var owner = job.getMetadata().getOwnerReferences().get(0);
    assertEquals("uid-1", owner.getUid());
    assertEquals("workflow.crd.com/v1", owner.getApiVersion());
    assertTrue(owner.getController());
    assertEquals(60L, job.getSpec().getActiveDeadlineSeconds());
    assertEquals(1, job.getSpec().getBackoffLimit());
    var pod = job.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(List.of("sh", "-c", "true"), pod.getContainers().get(0).getCommand());
    assertEquals("busybox:1.36", pod.getContainers().get(0).getImage());
    assertFalse(job.getSpec().getTemplate().getMetadata().getLabels().containsKey("team"),
        "pods keep only the operator's labels");
  }

  @Test
  @DisplayName("unlimited steps get no deadline and a null command keeps the image's entrypoint")
  void unlimitedAndDefaultCommand() {
    V1Job job = JobSpecs.desiredJob(new CreateJob("ns", "j", "wf", "u", "h",
        new Step("s", "img", null, List.of()), Map.of(), List.of(), null));
    assertNull(job.getSpec().getActiveDeadlineSeconds());
    // client-java models start lists empty; an empty command means "not set" to the API server.
    var command = job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
    assertTrue(command == null || command.isEmpty(), String.valueOf(command));
    String sent = JobSpecs.desiredJobJson(new CreateJob("ns", "j", "wf", "u", "h",
        new Step("s", "img", null, List.of()), Map.of(), List.of(), null)).toString();
    assertFalse(sent.contains("[]") || sent.contains("{}"), "unset fields are absent: " + sent);
    assertFalse(sent.contains("\"command\""), sent);
  }
}
