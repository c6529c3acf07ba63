package com.crd.workflow.crd;

import com.crd.workflow.core.Quantities;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.WorkflowSpec;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Generates the parts of crd/workflow.yaml that describe Kubernetes' own Container and PodSpec
 * fields, from client-java's models (generated from the Kubernetes OpenAPI document): field
 * names, types and required fields come from there, so the CRD cannot drift from the API it
 * passes through. Each generated part sits between {@code # BEGIN GENERATED <part>} and
 * {@code # END GENERATED <part>} lines; everything else in the file is written by hand.
 *
 * <p>Run with {@code make crd}; {@code CrdSchemasTest} fails when the file is not what this
 * generates.
 */
public final class CrdSchemas {
  private static final Pattern BLOCK = Pattern.compile(
      "(?m)^( *)# BEGIN GENERATED ([a-z-]+)[^\\n]*\\n(.*?)^ *# END GENERATED \\2[^\\n]*$", Pattern.DOTALL);

  /** One line per top-level field for {@code kubectl explain}; deeper fields have none. */
  private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("args", "Arguments to the command (or to the image's entrypoint), as in a Pod's container."),
      Map.entry("env", "Environment variables: value, or valueFrom a secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef."),
      Map.entry("envFrom", "Environment variables from every key of a Secret or ConfigMap."),
      Map.entry("resources", "CPU and memory requests and limits (Kubernetes quantities such as 500m or 1Gi)."),
      Map.entry("volumeMounts", "Volumes of spec.podTemplate.volumes to mount into the step's container."),
      Map.entry("workingDir", "The container's working directory."),
      Map.entry("imagePullPolicy", "Always, IfNotPresent or Never."),
      Map.entry("securityContext", "Security options (container-level for steps and stepDefaults, pod-level in podTemplate)."),
      Map.entry("serviceAccountName", "Service account the step pods run as; its token is then mounted."),
      Map.entry("volumes", "Volumes step containers can mount by name."),
      Map.entry("nodeSelector", "Labels a node must have to run the step pods."),
      Map.entry("tolerations", "Taints the step pods tolerate."),
      Map.entry("affinity", "Node and pod affinity of the step pods."),
      Map.entry("imagePullSecrets", "Secrets used to pull step images from private registries."),
      Map.entry("priorityClassName", "PriorityClass of the step pods."),
      Map.entry("runtimeClassName", "RuntimeClass of the step pods."),
      Map.entry("automountServiceAccountToken",
          "Mount the service account's API token; default false unless serviceAccountName is set."));

  private CrdSchemas() {}

  public static void main(String[] args) throws IOException {
    Path file = args.length > 0 ? Path.of(args[0]) : WorkflowCrd.CRD_FILE;
    String before = Files.readString(file);
    String after = generate(before);
    if (!after.equals(before)) {
      Files.writeString(file, after);
      System.out.println("updated " + file);
    } else {
      System.out.println(file + " is up to date");
    }
  }

  /** The CRD text with every generated part regenerated. */
  static String generate(String crd) {
    Matcher m = BLOCK.matcher(crd);
    StringBuilder out = new StringBuilder();
    Set<String> seen = new HashSet<>();
    while (m.find()) {
      String indent = m.group(1);
      String part = m.group(2);
      seen.add(part);
      String body = indented(yaml(properties(part)), indent);
      m.appendReplacement(out, Matcher.quoteReplacement(indent + "# BEGIN GENERATED " + part
          + " (make crd: from client-java's models; do not edit)\n" + body
          + indent + "# END GENERATED " + part));
    }
    m.appendTail(out);
    if (!seen.equals(Set.of("container-fields", "step-defaults", "pod-fields"))) {
      throw new IllegalStateException("expected the three generated parts, found " + seen);
    }
    return out.toString();
  }

  static Map<String, Object> properties(String part) {
    return switch (part) {
      case "container-fields" -> fields(V1Container.class, Step.CONTAINER_FIELDS);
      case "step-defaults" -> fields(V1Container.class, WorkflowSpec.DEFAULT_FIELDS);
      case "pod-fields" -> fields(V1PodSpec.class, WorkflowSpec.POD_FIELDS);
      default -> throw new IllegalArgumentException("unknown generated part " + part);
    };
  }

  private static Map<String, Object> fields(Class<?> model, List<String> names) {
    Map<String, Field> byName = serialized(model);
    Map<String, Object> out = new TreeMap<>();
    for (String n : names) {
      Field f = byName.get(n);
      if (f == null) {
        throw new IllegalStateException(model.getSimpleName() + " has no field " + n);
      }
      Map<String, Object> schema = new LinkedHashMap<>();
      schema.put("description", DESCRIPTIONS.get(n));
      schema.putAll(schema(f.getGenericType(), new ArrayList<>()));
      out.put(n, schema);
    }
    return out;
  }

  private static Map<String, Field> serialized(Class<?> model) {
    Map<String, Field> out = new TreeMap<>();
    for (Field f : model.getDeclaredFields()) {
      SerializedName name = f.getAnnotation(SerializedName.class);
      if (name != null && !Modifier.isStatic(f.getModifiers())) {
        out.put(name.value(), f);
      }
    }
    return out;
  }

  private static Map<String, Object> schema(Type type, List<Class<?>> path) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      if (List.class.isAssignableFrom(raw)) {
        s.put("type", "array");
        s.put("items", schema(p.getActualTypeArguments()[0], path));
        return s;
      }
      if (Map.class.isAssignableFrom(raw)) {
        s.put("type", "object");
        s.put("additionalProperties", schema(p.getActualTypeArguments()[1], path));
        return s;
      }
      throw new IllegalStateException("unsupported type " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      s.put("type", "string");
    } else if (c == Integer.class) {
      s.put("type", "integer");
      s.put("format", "int32");
    } else if (c == Long.class) {
      s.put("type", "integer");
      s.put("format", "int64");
    } else if (c == Boolean.class) {
      s.put("type", "boolean");
    } else if (c == Double.class || c == Float.class) {
      s.put("type", "number");
    } else if (c == OffsetDateTime.class) {
      s.put("type", "string");
      s.put("format", "date-time");
    } else if (c == Quantity.class) {
      s.put("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));
      s.put("pattern", Quantities.PATTERN);
      s.put("x-kubernetes-int-or-string", true);
    } else if (c == IntOrString.class) {
      s.put("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));
      s.put("x-kubernetes-int-or-string", true);
    } else if (c == V1ObjectMeta.class) {
      // Metadata nested in a volume's claim template: a PVC needs at most labels and annotations.
      Map<String, Object> strings = new LinkedHashMap<>();
      strings.put("type", "object");
      strings.put("additionalProperties", Map.of("type", "string"));
      s.put("type", "object");
      s.put("properties", new TreeMap<>(Map.of("labels", strings, "annotations", strings)));
    } else if (c.getPackageName().equals("io.kubernetes.client.openapi.models")) {
      if (path.contains(c)) {
        throw new IllegalStateException("recursive model " + path + " -> " + c.getSimpleName());
      }
      List<Class<?>> deeper = new ArrayList<>(path);
      deeper.add(c);
      s.put("type", "object");
      List<String> required = requiredFields(c);
      if (!required.isEmpty()) {
        s.put("required", required);
      }
      Map<String, Object> props = new TreeMap<>();
      serialized(c).forEach((n, f) -> props.put(n, schema(f.getGenericType(), deeper)));
      s.put("properties", props);
    } else {
      throw new IllegalStateException("unsupported type " + c + " in " + path);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static List<String> requiredFields(Class<?> model) {
    try {
      Set<String> required = (Set<String>) model.getField("openapiRequiredFields").get(null);
      return required.stream().sorted().toList();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(model + " has no openapiRequiredFields", e);
    }
  }

  private static String yaml(Map<String, Object> properties) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setWidth(Integer.MAX_VALUE);
    o.setSplitLines(false);
    Map<String, Object> clean = new LinkedHashMap<>();
    properties.forEach((k, v) -> clean.put(k, dropNulls(v)));
    return new Yaml(o).dump(clean);
  }

  private static Object dropNulls(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> {
        if (x != null) {
          out.put((String) k, dropNulls(x));
        }
      });
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(CrdSchemas::dropNulls).toList();
    }
    return v;
  }

  private static String indented(String text, String indent) {
    StringBuilder b = new StringBuilder();
    text.lines().forEach(l -> b.append(indent).append(l).append('\n'));
    return b.toString();
  }
}
