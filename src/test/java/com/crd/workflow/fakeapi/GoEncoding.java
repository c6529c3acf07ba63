package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * A real server decodes built-in objects into Go structs and encodes them back, so empty lists,
 * empty maps and nulls (all {@code omitempty}) vanish. client-java sends {@code []} and {@code {}}
 * for every unset collection; without this a GET-then-PUT would never be a no-op and an unchanged
 * Job template would look changed. Custom resources are stored as sent, like unstructured JSON.
 */
final class GoEncoding {
  /** JSON objects that are Go maps (omitted when empty); other objects are structs and stay. */
  private static final Set<String> MAP_FIELDS = Set.of(
      "labels", "annotations", "nodeSelector", "overhead", "limits", "requests", "matchLabels", "data",
      "binaryData", "stringData", "capacity", "allocatable", "attributes");

  private GoEncoding() {}

  static JsonObject normalize(ResourceType type, JsonObject object) {
    if (type.builtIn()) {
      strip(object);
    }
    return object;
  }

  private static void strip(JsonObject object) {
    for (Map.Entry<String, JsonElement> e : new ArrayList<>(object.entrySet())) {
      JsonElement v = e.getValue();
      if (v.isJsonObject()) {
        strip(v.getAsJsonObject());
      } else if (v.isJsonArray()) {
        for (JsonElement item : v.getAsJsonArray()) {
          if (item.isJsonObject()) {
            strip(item.getAsJsonObject());
          }
        }
      }
      boolean emptyMap = v.isJsonObject() && v.getAsJsonObject().isEmpty() && MAP_FIELDS.contains(e.getKey());
      boolean emptyList = v.isJsonArray() && v.getAsJsonArray().isEmpty();
      if (v.isJsonNull() || emptyMap || emptyList) {
        object.remove(e.getKey());
      }
    }
  }

  /** apimachinery's Semantic.DeepEqual view: missing, null, [] and {} are all "unset". */
  static boolean semanticallyEqual(JsonElement a, JsonElement b) {
    JsonElement x = pruned(a);
    JsonElement y = pruned(b);
    return x == null ? y == null : x.equals(y);
  }

  private static JsonElement pruned(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonObject()) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
        JsonElement v = pruned(entry.getValue());
        if (v != null) {
          out.add(entry.getKey(), v);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (e.isJsonArray()) {
      JsonArray out = new JsonArray();
      for (JsonElement item : e.getAsJsonArray()) {
        JsonElement v = pruned(item);
        out.add(v == null ? new JsonObject() : v);
      }
      return out.isEmpty() ? null : out;
    }
    return e;
  }
}
