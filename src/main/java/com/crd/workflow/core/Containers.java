package com.crd.workflow.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How {@code spec.stepDefaults} and a step's own Container fields combine. */
public final class Containers {
  private Containers() {}

  /**
   * A step's own value wins. {@code env} is merged by {@code name} and {@code volumeMounts} by
   * {@code mountPath}: the defaults' entries come first, in their order, each replaced in place by
   * the step's entry with the same key; the step's other entries follow in its order (so an env
   * var of the step may refer to a default one with $(NAME)). Every other field is replaced whole.
   */
  public static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> own) {
    Map<String, Object> out = new LinkedHashMap<>(defaults);
    own.forEach((k, v) -> {
      if (k.equals("env") && out.get(k) instanceof List<?> d && v instanceof List<?> o) {
        out.put(k, byKey(d, o, "name"));
      } else if (k.equals("volumeMounts") && out.get(k) instanceof List<?> d && v instanceof List<?> o) {
        out.put(k, byKey(d, o, "mountPath"));
      } else {
        out.put(k, v);
      }
    });
    out.values().removeIf(Objects::isNull);
    return Data.frozenMap(out);
  }

  private static List<Object> byKey(List<?> defaults, List<?> own, String key) {
    List<Object> out = new ArrayList<>();
    List<Object> rest = new ArrayList<>(own);
    for (Object d : defaults) {
      Object k = keyOf(d, key);
      Object mine = k == null ? null
          : rest.stream().filter(o -> k.equals(keyOf(o, key))).findFirst().orElse(null);
      if (mine != null) {
        rest.removeIf(o -> k.equals(keyOf(o, key)));
        out.add(mine);
      } else {
        out.add(d);
      }
    }
    out.addAll(rest);
    return out;
  }

  private static Object keyOf(Object entry, String key) {
    return entry instanceof Map<?, ?> m ? m.get(key) : null;
  }
}
