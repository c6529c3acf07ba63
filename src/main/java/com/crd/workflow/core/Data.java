package com.crd.workflow.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain data as read from a manifest: maps with string keys, lists, strings, numbers (BigDecimal),
 * booleans and null. Kubernetes fields the operator passes through to a Job unchanged (env,
 * resources, volumes, ...) stay in this form, so a field is never lost in a typed model.
 */
public final class Data {
  private Data() {}

  /** A deep, unmodifiable copy; null stays null. */
  public static Object freeze(Object o) {
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
      return Collections.unmodifiableMap(out);
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(freeze(v)));
      return Collections.unmodifiableList(out);
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> frozenMap(Map<String, Object> m) {
    return m == null ? Map.of() : (Map<String, Object>) freeze(m);
  }

  /** The object at {@code key} of a map, or an empty map when absent or not an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o, String key) {
    Object v = o instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  /** The list at {@code key} of a map, or an empty list when absent or not a list. */
  public static List<?> list(Object o, String key) {
    Object v = o instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof List<?> l ? l : List.of();
  }

  public static String string(Object o, String key) {
    Object v = o instanceof Map<?, ?> m ? m.get(key) : null;
    return v instanceof String s ? s : null;
  }

  /**
   * Canonical JSON: object keys sorted, list order kept, numbers in plain decimal form, so two
   * equal values always give the same text whatever order a client wrote the keys in.
   */
  public static String canonical(Object o) {
    StringBuilder b = new StringBuilder();
    write(o, b);
    return b.toString();
  }

  private static void write(Object o, StringBuilder b) {
    if (o == null) {
      b.append("null");
    } else if (o instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        b.append(first ? "" : ",");
        first = false;
        quote(e.getKey(), b);
        b.append(':');
        write(e.getValue(), b);
      }
      b.append('}');
    } else if (o instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ",");
        write(l.get(i), b);
      }
      b.append(']');
    } else if (o instanceof String s) {
      quote(s, b);
    } else if (o instanceof BigDecimal d) {
      b.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (o instanceof Number n) {
      write(new BigDecimal(n.toString()), b);
    } else {
      b.append(o);
    }
  }

  static void quote(String s, StringBuilder b) {
    b.append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }
}
