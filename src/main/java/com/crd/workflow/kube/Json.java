package com.crd.workflow.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Null-safe reads of nested JSON. */
public final class Json {
  private Json() {}

  public static JsonElement at(JsonObject o, String... path) {
    JsonElement cur = o;
    for (String p : path) {
      if (!(cur instanceof JsonObject obj) || !obj.has(p)) {
        return null;
      }
      cur = obj.get(p);
    }
    return cur == null || cur.isJsonNull() ? null : cur;
  }

  public static String str(JsonObject o, String... path) {
    JsonElement e = at(o, path);
    return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
  }

  public static JsonObject obj(JsonObject o, String... path) {
    return at(o, path) instanceof JsonObject obj ? obj : null;
  }

  public static long num(JsonObject o, long dflt, String... path) {
    JsonElement e = at(o, path);
    return e instanceof JsonPrimitive p && p.isNumber() ? p.getAsLong() : dflt;
  }

  public static Map<String, String> strings(JsonObject o, String... path) {
    Map<String, String> out = new TreeMap<>();
    JsonObject m = obj(o, path);
    if (m != null) {
      m.entrySet().forEach(e -> {
        if (e.getValue() instanceof JsonPrimitive p) {
          out.put(e.getKey(), p.getAsString());
        }
      });
    }
    return out;
  }

  public static List<JsonObject> objects(JsonObject o, String... path) {
    List<JsonObject> out = new ArrayList<>();
    if (at(o, path) instanceof JsonArray a) {
      a.forEach(e -> {
        if (e instanceof JsonObject obj) {
          out.add(obj);
        }
      });
    }
    return out;
  }

  /** Removes, recursively, members that are empty lists or empty objects. */
  public static void pruneEmpty(JsonObject o) {
    for (String key : List.copyOf(o.keySet())) {
      JsonElement e = o.get(key);
      if (e instanceof JsonObject child) {
        pruneEmpty(child);
      } else if (e instanceof JsonArray a) {
        a.forEach(x -> {
          if (x instanceof JsonObject child) {
            pruneEmpty(child);
          }
        });
      }
      if ((e instanceof JsonObject child && child.size() == 0)
          || (e instanceof JsonArray a && a.isEmpty())) {
        o.remove(key);
      }
    }
  }

  public static JsonArray array(List<String> items) {
    JsonArray a = new JsonArray();
    items.forEach(a::add);
    return a;
  }

  /** JSON as the core's plain data (see {@code core.Data}): numbers become BigDecimal. */
  public static Object toData(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e instanceof JsonObject o) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      o.entrySet().forEach(en -> out.put(en.getKey(), toData(en.getValue())));
      return out;
    }
    if (e instanceof JsonArray a) {
      List<Object> out = new java.util.ArrayList<>();
      a.forEach(x -> out.add(toData(x)));
      return out;
    }
    com.google.gson.JsonPrimitive p = e.getAsJsonPrimitive();
    return p.isBoolean() ? (Object) p.getAsBoolean() : p.isNumber() ? p.getAsBigDecimal() : p.getAsString();
  }

  /** Plain data back to JSON. */
  public static JsonElement fromData(Object o) {
    if (o == null) {
      return com.google.gson.JsonNull.INSTANCE;
    }
    if (o instanceof Map<?, ?> m) {
      JsonObject out = new JsonObject();
      m.forEach((k, v) -> out.add(String.valueOf(k), fromData(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      JsonArray out = new JsonArray();
      l.forEach(v -> out.add(fromData(v)));
      return out;
    }
    if (o instanceof Boolean b) {
      return new com.google.gson.JsonPrimitive(b);
    }
    if (o instanceof Number n) {
      return new com.google.gson.JsonPrimitive(n);
    }
    return new com.google.gson.JsonPrimitive(String.valueOf(o));
  }
}
