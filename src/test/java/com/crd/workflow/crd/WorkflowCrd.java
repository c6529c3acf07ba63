package com.crd.workflow.crd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** crd/workflow.yaml and the manifests it is tested against, plus an offline stand-in for admission. */
final class WorkflowCrd {
  static final Path CRD_FILE = Path.of("crd/workflow.yaml");

  /** A manifest from crd-fixtures; {@code expect} is its "# expect:" line, empty for good ones. */
  record Fixture(String name, String expect, Map<String, Object> manifest) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Map<String, Object> crd;

  private WorkflowCrd() {}

  static synchronized Map<String, Object> crd() {
    if (crd == null) {
      crd = load(CRD_FILE);
    }
    return crd;
  }

  static Map<String, Object> spec() {
    return map(crd().get("spec"));
  }

  static Map<String, Object> version() {
    List<?> versions = (List<?>) spec().get("versions");
    return map(versions.get(0));
  }

  static Map<String, Object> schema() {
    return map(map(version().get("schema")).get("openAPIV3Schema"));
  }

  /** The schema node at a dotted path such as {@code spec.containers[*].stepName}. */
  static Map<String, Object> schemaAt(String path) {
    Map<String, Object> node = schema();
    for (String part : path.replace("[*]", ".[*]").split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      node = part.equals("[*]") ? map(node.get("items")) : map(map(node.get("properties")).get(part));
    }
    return node;
  }

  static int maxItems(String path) {
    return ((Number) schemaAt(path).get("maxItems")).intValue();
  }

  /** What the API server would report for this manifest: schema errors, then failed CEL rules. */
  static List<String> admissionErrors(Object manifest) {
    Object stored = StructuralSchema.normalize(manifest, schema());
    List<String> errors = new ArrayList<>(StructuralSchema.validate(stored, schema()));
    errors.addAll(CelRules.violations(stored, CelRules.collect(schema())));
    return errors;
  }

  /** {@code count} steps named step-0, step-1, ..., each depending on up to {@code deps} steps listed after it. */
  static List<Map<String, Object>> steps(int count, int deps) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> step = new LinkedHashMap<>(Map.of("stepName", "step-" + i, "image", "busybox"));
      List<String> dependsOn = IntStream.range(i + 1, Math.min(count, i + 1 + deps)).mapToObj(j -> "step-" + j).toList();
      if (!dependsOn.isEmpty()) {
        step.put("dependsOn", dependsOn);
      }
      steps.add(step);
    }
    return steps;
  }

  static Map<String, Object> workflow(List<Map<String, Object>> containers) {
    return Map.of(
        "apiVersion", "workflow.crd.com/v1",
        "kind", "Workflow",
        "metadata", Map.of("name", "generated"),
        "spec", Map.of("containers", containers));
  }

  static List<Fixture> fixtures(String kind) {
    try (Stream<Path> files = Files.list(Path.of(WorkflowCrd.class.getResource("/crd-fixtures/" + kind).toURI()))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(WorkflowCrd::fixture).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Fixture fixture(Path file) {
    String expect = lines(file).stream()
        .filter(l -> l.startsWith("# expect:"))
        .map(l -> l.substring("# expect:".length()).trim())
        .findFirst()
        .orElse("");
    return new Fixture(file.getFileName().toString(), expect, load(file));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> load(Path file) {
    return map(new Yaml().load(String.join("\n", lines(file))));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalStateException("expected a mapping, got " + o);
    }
    return (Map<String, Object>) o;
  }
}
