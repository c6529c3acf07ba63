package com.crd.workflow.crd;

import static com.crd.workflow.crd.WorkflowCrd.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.crd.workflow.crd.WorkflowCrd.Fixture;
import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrdSchemaTest {

  static List<Fixture> good() {
    return WorkflowCrd.fixtures("good");
  }

  static List<Fixture> bad() {
    return WorkflowCrd.fixtures("bad");
  }

  @Test
  @DisplayName("the CRD serves workflows.workflow.crd.com/v1 Workflow, namespaced, short name wf, in no category")
  void names() {
    Map<String, Object> crd = WorkflowCrd.crd();
    Map<String, Object> spec = WorkflowCrd.spec();
    Map<String, Object> names = map(spec.get("names"));
    assertEquals("apiextensions.k8s.io/v1", crd.get("apiVersion"));
    assertEquals("CustomResourceDefinition", crd.get("kind"));
    assertEquals("workflows.workflow.crd.com", map(crd.get("metadata")).get("name"));
    assertEquals("workflow.crd.com", spec.get("group"));
    assertEquals("Namespaced", spec.get("scope"));
    assertEquals("Workflow", names.get("kind"));
    assertEquals("WorkflowList", names.get("listKind"));
    assertEquals("workflows", names.get("plural"));
    assertEquals("workflow", names.get("singular"));
    assertEquals(List.of("wf"), names.get("shortNames"));
    // In "all", `kubectl get all` would list workflows next to the Jobs they create.
    assertFalse(names.containsKey("categories"));
  }

  @Test
  @DisplayName("every field of the CRD is one the Kubernetes API defines")
  void parsesAsTypedCrd() {
    // client-java's generated model rejects fields its OpenAPI spec does not define, so a typo such
    // as x-kubernetes-list-map-key fails here instead of being dropped by the API server.
    String json = new Gson().toJson(WorkflowCrd.crd());
    V1CustomResourceDefinition typed = JSON.deserialize(json, V1CustomResourceDefinition.class);
    assertEquals(List.of("stepName"), typed.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("containers").getxKubernetesListMapKeys());
  }

  @Test
  @DisplayName("v1 is the only version, served and stored, with a status subresource")
  void version() {
    assertEquals(1, ((List<?>) WorkflowCrd.spec().get("versions")).size());
    Map<String, Object> v1 = WorkflowCrd.version();
    assertEquals("v1", v1.get("name"));
    assertEquals(true, v1.get("served"));
    assertEquals(true, v1.get("storage"));
    assertEquals(Map.of("status", Map.of()), v1.get("subresources"));
  }

  @Test
  @DisplayName("kubectl get shows Status, Progress, Age and Message")
  void printerColumns() {
    List<String> columns = new ArrayList<>();
    for (Object o : (List<?>) WorkflowCrd.version().get("additionalPrinterColumns")) {
      Map<String, Object> c = map(o);
      columns.add(c.get("name") + " " + c.get("type") + " " + c.get("jsonPath") + " " + c.getOrDefault("priority", 0));
    }
    assertEquals(List.of(
        "Status string .status.workflow-status 0",
        "Progress string .status.progress 0",
        "Age date .metadata.creationTimestamp 0",
        "Message string .status.message 0"), columns);
  }

  @Test
  @DisplayName("spec.containers is a list keyed by stepName, 1 to maxItems long, so duplicates are rejected")
  void containersListMap() {
    Map<String, Object> containers = WorkflowCrd.schemaAt("spec.containers");
    assertEquals("map", containers.get("x-kubernetes-list-type"));
    assertEquals(List.of("stepName"), containers.get("x-kubernetes-list-map-keys"));
    assertEquals(1, containers.get("minItems"));
    assertTrue(containers.containsKey("maxItems"));
    // The API server requires list-map keys to be required (or defaulted).
    assertTrue(((List<?>) map(containers.get("items")).get("required")).contains("stepName"));
  }

  @Test
  @DisplayName("every spec field has a description for kubectl explain")
  void descriptions() {
    for (String path : List.of("spec", "spec.maxStepTimeout", "spec.containers", "spec.containers[*].stepName",
        "spec.containers[*].image", "spec.containers[*].command", "spec.containers[*].dependsOn")) {
      assertTrue(WorkflowCrd.schemaAt(path).get("description") instanceof String, path);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  @DisplayName("manifests written for the original schema are accepted")
  void goodFixtureIsAccepted(Fixture f) {
    assertEquals(List.of(), WorkflowCrd.admissionErrors(f.manifest()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  @DisplayName("each bad manifest is rejected for the reason in its # expect line")
  void badFixtureIsRejected(Fixture f) {
    assertFalse(f.expect().isEmpty(), f.name() + " has no '# expect:' line");
    List<String> errors = WorkflowCrd.admissionErrors(f.manifest());
    assertTrue(errors.stream().anyMatch(e -> e.contains(f.expect())), "expected '" + f.expect() + "' in " + errors);
  }

  @Test
  @DisplayName("a Workflow no operator has touched reads as Created with a 60 second step timeout")
  void defaults() {
    Map<String, Object> manifest = fixture("good", "default-timeout.yaml");
    Map<String, Object> stored = map(StructuralSchema.normalize(manifest, WorkflowCrd.schema()));
    assertEquals(60, map(stored.get("spec")).get("maxStepTimeout"));
    assertEquals(Map.of("workflow-status", "Created"), stored.get("status"));
  }

  @Test
  @DisplayName("command: null is kept and dependsOn: null is dropped, as the API server does")
  void nulls() {
    Map<String, Object> step = new LinkedHashMap<>(Map.of("stepName", "a", "image", "busybox"));
    step.put("command", null);
    step.put("dependsOn", null);
    Map<String, Object> stored = map(StructuralSchema.normalize(WorkflowCrd.workflow(List.of(step)), WorkflowCrd.schema()));
    Map<String, Object> storedStep = map(((List<?>) map(stored.get("spec")).get("containers")).get(0));
    assertTrue(storedStep.containsKey("command"));
    assertFalse(storedStep.containsKey("dependsOn"));
    assertEquals(List.of(), WorkflowCrd.admissionErrors(WorkflowCrd.workflow(List.of(step))));
  }

  @Test
  @DisplayName("a workflow of maxItems steps, each with the most dependencies allowed, is accepted")
  void largestWorkflowIsAccepted() {
    assertEquals(List.of(), WorkflowCrd.admissionErrors(WorkflowCrd.workflow(WorkflowCrd.steps(maxSteps(), maxDependencies()))));
  }

  @Test
  @DisplayName("one step more than maxItems is rejected")
  void tooManySteps() {
    List<String> errors = WorkflowCrd.admissionErrors(WorkflowCrd.workflow(WorkflowCrd.steps(maxSteps() + 1, 0)));
    assertTrue(errors.contains("spec.containers: must have at most " + maxSteps() + " items"), errors.toString());
  }

  @Test
  @DisplayName("one dependency more than dependsOn maxItems is rejected")
  void tooManyDependencies() {
    List<Map<String, Object>> steps = WorkflowCrd.steps(maxDependencies() + 2, 0);
    steps.get(steps.size() - 1)
        .put("dependsOn", steps.subList(0, maxDependencies() + 1).stream().map(s -> s.get("stepName")).toList());
    String at = "spec.containers[" + (steps.size() - 1) + "].dependsOn";
    List<String> errors = WorkflowCrd.admissionErrors(WorkflowCrd.workflow(steps));
    assertTrue(errors.contains(at + ": must have at most " + maxDependencies() + " items"), errors.toString());
  }

  private static int maxSteps() {
    return WorkflowCrd.maxItems("spec.containers");
  }

  private static int maxDependencies() {
    return WorkflowCrd.maxItems("spec.containers[*].dependsOn");
  }

  private static Map<String, Object> fixture(String kind, String name) {
    return WorkflowCrd.fixtures(kind).stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().manifest();
  }
}
