package com.crd.workflow.fakeapi;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Map;

/** RFC 7386 JSON merge patch over Gson trees, the one patch the operator sends. Inputs are never modified. */
public final class MergePatch {
  private MergePatch() {}

  /** Objects merge recursively, null removes a key, anything else replaces. */
  public static JsonElement apply(JsonElement target, JsonElement patch) {
    if (patch == null || !patch.isJsonObject()) {
      return patch == null ? JsonNull.INSTANCE : patch.deepCopy();
    }
    JsonObject result = target != null && target.isJsonObject()
        ? target.getAsJsonObject().deepCopy() : new JsonObject();
    for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
      if (e.getValue().isJsonNull()) {
        result.remove(e.getKey());
      } else {
        result.add(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}
