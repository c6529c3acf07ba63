package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RFC 7386 JSON merge patch and RFC 6902 JSON patch over Gson trees. Inputs are never modified. */
public final class JsonPatches {
  private JsonPatches() {}

  /** Thrown when a JSON patch cannot be applied; the server answers 422 like a real one. */
  public static final class PatchException extends RuntimeException {
    PatchException(String message) {
      super(message);
    }
  }

  /** RFC 7386: objects merge recursively, null removes a key, anything else replaces. */
  public static JsonElement mergePatch(JsonElement target, JsonElement patch) {
    if (patch == null || !patch.isJsonObject()) {
      return patch == null ? JsonNull.INSTANCE : patch.deepCopy();
    }
    JsonObject result = target != null && target.isJsonObject()
        ? target.getAsJsonObject().deepCopy() : new JsonObject();
    for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
      if (e.getValue().isJsonNull()) {
        result.remove(e.getKey());
      } else {
        result.add(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** RFC 6902 with add, remove, replace, move, copy and test. */
  public static JsonElement jsonPatch(JsonElement target, JsonArray operations) {
    JsonElement doc = target.deepCopy();
    for (JsonElement opElement : operations) {
      if (!opElement.isJsonObject()) {
        throw new PatchException("invalid JSON patch operation: " + opElement);
      }
      JsonObject op = opElement.getAsJsonObject();
      String kind = Json.str(op, "op");
      String path = Json.str(op, "path");
      if (kind == null || path == null) {
        throw new PatchException("operation missing op or path: " + op);
      }
      switch (kind) {
        case "add" -> doc = add(doc, path, required(op, "value"));
        case "remove" -> doc = remove(doc, path, kind);
        case "replace" -> {
          get(doc, path, kind);
          doc = remove(doc, path, kind);
          doc = add(doc, path, required(op, "value"));
        }
        case "move" -> {
          String from = from(op);
          JsonElement value = get(doc, from, kind);
          doc = remove(doc, from, kind);
          doc = add(doc, path, value);
        }
        case "copy" -> doc = add(doc, path, get(doc, from(op), kind).deepCopy());
        case "test" -> {
          JsonElement actual = get(doc, path, kind);
          if (!actual.equals(required(op, "value"))) {
            throw new PatchException("testing value " + path + " failed: test failed");
          }
        }
        default -> throw new PatchException("Unexpected kind: " + kind);
      }
    }
    return doc;
  }

  private static JsonElement required(JsonObject op, String key) {
    if (!op.has(key)) {
      throw new PatchException(Json.str(op, "op") + " operation has no '" + key + "' field");
    }
    return op.get(key).deepCopy();
  }

  private static String from(JsonObject op) {
    String from = Json.str(op, "from");
    if (from == null) {
      throw new PatchException(Json.str(op, "op") + " operation has no 'from' field");
    }
    return from;
  }

  private static List<String> pointer(String path) {
    if (path.isEmpty()) {
      return List.of();
    }
    if (!path.startsWith("/")) {
      throw new PatchException("JSON pointer must be empty or start with '/': " + path);
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : path.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static JsonElement get(JsonElement doc, String path, String op) {
    JsonElement current = doc;
    for (String token : pointer(path)) {
      current = child(current, token);
      if (current == null) {
        throw new PatchException(op + " operation does not apply: doc is missing path: \"" + path + "\"");
      }
    }
    return current;
  }

  private static JsonElement child(JsonElement parent, String token) {
    if (parent.isJsonObject()) {
      return parent.getAsJsonObject().get(token);
    }
    if (parent.isJsonArray()) {
      int i = index(token, parent.getAsJsonArray().size() - 1);
      return i < 0 ? null : parent.getAsJsonArray().get(i);
    }
    return null;
  }

  private static int index(String token, int max) {
    try {
      int i = Integer.parseInt(token);
      return i >= 0 && i <= max && String.valueOf(i).equals(token) ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonElement add(JsonElement doc, String path, JsonElement value) {
    List<String> tokens = pointer(path);
    if (tokens.isEmpty()) {
      return value;
    }
    JsonElement parent = parentOf(doc, tokens, path, "add");
    String last = tokens.get(tokens.size() - 1);
    if (parent.isJsonObject()) {
      parent.getAsJsonObject().add(last, value);
    } else if (parent.isJsonArray()) {
      JsonArray array = parent.getAsJsonArray();
      int i = last.equals("-") ? array.size() : index(last, array.size());
      if (i < 0) {
        throw new PatchException("add operation does not apply: index out of bounds: \"" + path + "\"");
      }
      insert(array, i, value);
    } else {
      throw new PatchException("add operation does not apply: doc is missing path: \"" + path + "\"");
    }
    return doc;
  }

  private static JsonElement remove(JsonElement doc, String path, String op) {
    List<String> tokens = pointer(path);
    if (tokens.isEmpty()) {
      return JsonNull.INSTANCE;
    }
    JsonElement parent = parentOf(doc, tokens, path, op);
    String last = tokens.get(tokens.size() - 1);
    if (parent.isJsonObject() && parent.getAsJsonObject().has(last)) {
      parent.getAsJsonObject().remove(last);
    } else if (parent.isJsonArray() && index(last, parent.getAsJsonArray().size() - 1) >= 0) {
      parent.getAsJsonArray().remove(index(last, parent.getAsJsonArray().size() - 1));
    } else {
      throw new PatchException(op + " operation does not apply: doc is missing path: \"" + path + "\"");
    }
    return doc;
  }

  private static JsonElement parentOf(JsonElement doc, List<String> tokens, String path, String op) {
    JsonElement parent = doc;
    for (String token : tokens.subList(0, tokens.size() - 1)) {
      parent = child(parent, token);
      if (parent == null) {
        throw new PatchException(op + " operation does not apply: doc is missing path: \"" + path + "\"");
      }
    }
    return parent;
  }

  private static void insert(JsonArray array, int index, JsonElement value) {
    List<JsonElement> tail = new ArrayList<>();
    while (array.size() > index) {
      tail.add(0, array.remove(array.size() - 1));
    }
    array.add(value);
    tail.forEach(array::add);
  }
}
