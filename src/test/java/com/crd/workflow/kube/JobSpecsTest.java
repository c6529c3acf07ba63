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

  @Test
  @DisplayName("a retried step's Job never retries itself, ignores disruptions and fails at once on codes not to retry")
  void retriedStep() {
    com.crd.workflow.core.Retries r = new com.crd.workflow.core.Retries(2, 10, 2, 60, List.of(1, 3),
        List.of(42, 2));
    CreateJob c = new CreateJob("ns", "j", "wf", "u", "h", new Step("s", "img", null, List.of()),
        Map.of(), List.of(), 60L, Map.of(), Map.of(), false, r);
    V1Job job = JobSpecs.desiredJob(c);
    assertEquals(0, job.getSpec().getBackoffLimit(), "the operator's retries and the Job's never multiply");
    var rules = job.getSpec().getPodFailurePolicy().getRules();
    assertEquals("Ignore", rules.get(0).getAction());
    assertEquals("DisruptionTarget", rules.get(0).getOnPodConditions().get(0).getType());
    assertEquals("FailJob", rules.get(1).getAction());
    assertEquals("In", rules.get(1).getOnExitCodes().getOperator());
    assertEquals(List.of(2, 42), rules.get(1).getOnExitCodes().getValues());
    assertEquals("NotIn", rules.get(2).getOnExitCodes().getOperator());
    assertEquals(List.of(1, 3), rules.get(2).getOnExitCodes().getValues());

    V1Job plain = JobSpecs.desiredJob(new CreateJob("ns", "j", "wf", "u", "h",
        new Step("s", "img", null, List.of()), Map.of(), List.of(), 60L));
    assertEquals(1, plain.getSpec().getBackoffLimit());
    assertEquals(1, plain.getSpec().getPodFailurePolicy().getRules().size(),
        "a disruption is never a failure, retries or not");
  }
}
