package com.crd.workflow.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Unknown fields, found as {@code kubectl apply --validate=strict} finds them: against the CRD's
 * own schema (shipped in the jar), by path. The API server would silently drop such a field, so a
 * typo such as {@code comand:} would run the image's entrypoint instead.
 */
final class Strict {
  private static Map<String, Object> schema;

  private Strict() {}

  /** One message per unknown field, e.g. {@code unknown field "spec.containers[0].comand"}. */
  static List<String> unknownFields(Object workflow) {
    List<String> out = new ArrayList<>();
    walk(workflow, schema(), "", out);
    return out;
  }

  private static void walk(Object value, Map<String, Object> s, String path, List<String> out) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> props = map(s.get("properties"));
      Map<String, Object> additional = map(s.get("additionalProperties"));
      boolean open = props.isEmpty() && additional.isEmpty()
          || Boolean.TRUE.equals(s.get("x-kubernetes-preserve-unknown-fields"));
      m.forEach((k, v) -> {
        String at = path.isEmpty() ? String.valueOf(k) : path + "." + k;
        if (!additional.isEmpty()) {
          walk(v, additional, at, out);
        } else if (props.containsKey(String.valueOf(k))) {
          walk(v, map(props.get(String.valueOf(k))), at, out);
        } else if (!open) {
          out.add("unknown field \"" + at + "\"");
        }
      });
    } else if (value instanceof List<?> l && s.get("items") != null) {
      for (int i = 0; i < l.size(); i++) {
        walk(l.get(i), map(s.get("items")), path + "[" + i + "]", out);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static synchronized Map<String, Object> schema() {
    if (schema == null) {
      try (InputStream in = Strict.class.getResourceAsStream("/crd/workflow.yaml")) {
        if (in == null) {
          throw new IllegalStateException("crd/workflow.yaml is missing from the jar");
        }
        Object crd = new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        Object version = ((List<?>) map(map(crd).get("spec")).get("versions")).get(0);
        schema = map(map(map(version).get("schema")).get("openAPIV3Schema"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schema;
  }
}
