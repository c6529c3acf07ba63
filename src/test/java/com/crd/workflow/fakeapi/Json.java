package com.crd.workflow.fakeapi;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small JSON helpers shared by the fake API server. */
final class Json {
  static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private Json() {}

  static JsonElement parse(String text) {
    return JsonParser.parseString(text);
  }

  static String write(JsonElement element) {
    return GSON.toJson(element);
  }

  static JsonObject copy(JsonObject object) {
    return object == null ? null : object.deepCopy();
  }

  /** The object's metadata, created if missing so callers can write into it. */
  static JsonObject meta(JsonObject object) {
    JsonElement meta = object.get("metadata");
    if (meta == null || !meta.isJsonObject()) {
      JsonObject created = new JsonObject();
      object.add("metadata", created);
      return created;
    }
    return meta.getAsJsonObject();
  }

  static JsonObject obj(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  static JsonArray array(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    return e != null && e.isJsonArray() ? e.getAsJsonArray() : null;
  }

  static String str(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  static Long num(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    return e.getAsLong();
  }

  static Boolean bool(JsonObject parent, String key) {
    JsonElement e = parent == null ? null : parent.get(key);
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : null;
  }

  /** Follows a dotted path of object keys; null when any step is missing. */
  static JsonElement at(JsonObject root, String dottedPath) {
    JsonElement current = root;
    for (String key : dottedPath.split("\\.")) {
      if (current == null || !current.isJsonObject()) {
        return null;
      }
      current = current.getAsJsonObject().get(key);
    }
    return current == null || current.isJsonNull() ? null : current;
  }

  static String name(JsonObject object) {
    return str(obj(object, "metadata"), "name");
  }

  static String namespace(JsonObject object) {
    return str(obj(object, "metadata"), "namespace");
  }

  static String uid(JsonObject object) {
    return str(obj(object, "metadata"), "uid");
  }

  static String resourceVersion(JsonObject object) {
    return str(obj(object, "metadata"), "resourceVersion");
  }

  static JsonObject labels(JsonObject object) {
    return obj(obj(object, "metadata"), "labels");
  }

  static boolean hasDeletionTimestamp(JsonObject object) {
    return str(obj(object, "metadata"), "deletionTimestamp") != null;
  }

  static JsonArray finalizers(JsonObject object) {
    return array(obj(object, "metadata"), "finalizers");
  }

  static boolean hasFinalizers(JsonObject object) {
    JsonArray f = finalizers(object);
    return f != null && f.size() > 0;
  }

  static boolean hasFinalizer(JsonObject object, String finalizer) {
    JsonArray f = finalizers(object);
    return f != null && f.contains(new JsonPrimitive(finalizer));
  }

  /** metav1.Time is second precision on the wire, e.g. 2026-01-02T03:04:05Z. */
  static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  static Instant parseTime(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
