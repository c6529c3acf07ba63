package com.crd.workflow.crd;

import static com.crd.workflow.crd.WorkflowCrd.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

class CrdSchemasTest {

  @Test
  @DisplayName("crd/workflow.yaml holds exactly what make crd generates from client-java's models")
  void generatedPartsAreUpToDate() throws IOException {
    String crd = Files.readString(WorkflowCrd.CRD_FILE);
    assertEquals(CrdSchemas.generate(crd), crd, "run: make crd");
  }

  @Test
  @DisplayName("the schema is structural: every node has a type (or is int-or-string), nothing keeps unknown fields in spec")
  void structural() {
    List<String> problems = new ArrayList<>();
    walk(WorkflowCrd.schemaAt("spec"), "spec", problems);
    assertEquals(List.of(), problems);
  }

  private static void walk(Map<String, Object> s, String path, List<String> problems) {
    boolean intOrString = Boolean.TRUE.equals(s.get("x-kubernetes-int-or-string"));
    if (s.get("type") == null && !intOrString) {
      problems.add(path + ": no type");
    }
    if (s.containsKey("x-kubernetes-preserve-unknown-fields")) {
      problems.add(path + ": x-kubernetes-preserve-unknown-fields");
    }
    if (s.containsKey("properties") && s.containsKey("additionalProperties")) {
      problems.add(path + ": both properties and additionalProperties");
    }
    if (s.containsKey("anyOf")) {
      // Structural rule: anyOf may only validate values, here the int-or-string pair.
      if (!intOrString || !s.get("anyOf").equals(List.of(Map.of("type", "integer"), Map.of("type", "string")))) {
        problems.add(path + ": anyOf other than int-or-string");
      }
    }
    if ("object".equals(s.get("type")) && !s.containsKey("properties") && !s.containsKey("additionalProperties")) {
      problems.add(path + ": an object without properties prunes everything in it");
    }
    if (s.get("properties") != null) {
      map(s.get("properties")).forEach((k, v) -> walk(map(v), path + "." + k, problems));
    }
    if (s.get("additionalProperties") instanceof Map<?, ?> a) {
      walk(map(a), path + ".*", problems);
    }
    if (s.get("items") != null) {
      walk(map(s.get("items")), path + "[*]", problems);
    }
  }

  @Test
  @DisplayName("steps take the batch Container fields, stepDefaults a subset, podTemplate the pod fields and metadata")
  void fieldsOffered() {
    assertEquals(List.of("args", "command", "dependsOn", "env", "envFrom", "image", "imagePullPolicy", "resources",
        "retries", "securityContext", "stepName", "volumeMounts", "workingDir"), keys("spec.containers[*]"));
    assertEquals(List.of("env", "envFrom", "imagePullPolicy", "resources", "securityContext", "volumeMounts"),
        keys("spec.stepDefaults"));
    assertEquals(List.of("affinity", "automountServiceAccountToken", "imagePullSecrets", "metadata", "nodeSelector",
        "priorityClassName", "runtimeClassName", "securityContext", "serviceAccountName", "tolerations", "volumes"),
        keys("spec.podTemplate"));
    assertEquals(List.of("name"), WorkflowCrd.schemaAt("spec.containers[*].env[*]").get("required"));
  }

  private static List<String> keys(String path) {
    return map(WorkflowCrd.schemaAt(path).get("properties")).keySet().stream().sorted().toList();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  @DisplayName("every example validates against the CRD, unknown fields included")
  void examplesValidate(Path file) throws IOException {
    int workflows = 0;
    for (Object doc : new Yaml().loadAll(Files.readString(file))) {
      if (doc instanceof Map<?, ?> m && "Workflow".equals(m.get("kind"))) {
        workflows++;
        assertEquals(List.of(), WorkflowCrd.admissionErrors(doc), file.toString());
      }
    }
    assertTrue(workflows > 0, file + " holds no Workflow");
  }

  @Test
  @DisplayName("a quantity that does not parse, an env entry without a name, parallelism 0, a deadline of 0 and a negative TTL or retention are rejected at admission")
  void badValues() {
    Map<String, Object> step = new java.util.LinkedHashMap<>(Map.of("stepName", "a", "image", "busybox"));
    step.put("resources", Map.of("limits", Map.of("cpu", "2 cores")));
    step.put("env", List.of(Map.of("value", "x")));
    Map<String, Object> wf = new java.util.LinkedHashMap<>(WorkflowCrd.workflow(List.of(step)));
    Map<String, Object> spec = new java.util.LinkedHashMap<>(map(wf.get("spec")));
    spec.put("parallelism", 0);
    spec.put("queueName", "team queue");
    spec.put("activeDeadlineSeconds", 0);
    spec.put("ttlSecondsAfterFinished", -1);
    spec.put("jobRetention", Map.of("onSuccess", -1, "onFailure", 0));
    wf.put("spec", spec);
    List<String> errors = WorkflowCrd.admissionErrors(wf);
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("spec.containers[0].resources.limits.cpu: should match")), errors.toString());
    assertTrue(errors.contains("spec.containers[0].env[0].name: Required value"), errors.toString());
    assertTrue(errors.contains("spec.parallelism: should be greater than or equal to 1"), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("spec.queueName: should match")), errors.toString());
    assertTrue(errors.contains("spec.activeDeadlineSeconds: should be greater than or equal to 1"), errors.toString());
    assertTrue(errors.contains("spec.ttlSecondsAfterFinished: should be greater than or equal to 0"), errors.toString());
    assertTrue(errors.contains("spec.jobRetention.onSuccess: should be greater than or equal to 0"), errors.toString());
    assertFalse(errors.stream().anyMatch(e -> e.startsWith("spec.jobRetention.onFailure")), errors.toString());
    assertFalse(errors.isEmpty());
  }
}
