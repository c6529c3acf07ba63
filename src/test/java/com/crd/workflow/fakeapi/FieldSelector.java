package com.crd.workflow.fakeapi;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code ?fieldSelector=}: only the fields the real server indexes for each type, anything else
 * is a 400 just like on a cluster (a field selector that works here will work there).
 */
final class FieldSelector {
  private static final Map<String, String> EVENT_FIELDS = Map.of(
      "involvedObject.kind", "involvedObject.kind",
      "involvedObject.namespace", "involvedObject.namespace",
      "involvedObject.name", "involvedObject.name",
      "involvedObject.uid", "involvedObject.uid",
      "involvedObject.apiVersion", "involvedObject.apiVersion",
      "involvedObject.resourceVersion", "involvedObject.resourceVersion",
      "involvedObject.fieldPath", "involvedObject.fieldPath",
      "reason", "reason",
      "source", "source.component",
      "type", "type");

  private FieldSelector() {}

  static Predicate<JsonObject> parse(ResourceType type, String text) {
    Predicate<JsonObject> all = o -> true;
    if (text == null || text.isBlank()) {
      return all;
    }
    for (String part : text.split(",")) {
      String term = part.trim();
      String op = term.contains("!=") ? "!=" : term.contains("==") ? "==" : "=";
      int at = term.indexOf(op);
      if (at <= 0) {
        throw ApiError.badRequest("invalid selector: '" + text + "'; can't understand '" + term + "'");
      }
      String field = term.substring(0, at).trim();
      String value = term.substring(at + op.length()).trim();
      Function<JsonObject, String> getter = getter(type, field);
      Predicate<JsonObject> test = o -> value.equals(getter.apply(o));
      all = all.and(op.equals("!=") ? test.negate() : test);
    }
    return all;
  }

  private static Function<JsonObject, String> getter(ResourceType type, String field) {
    if (List.of("metadata.name", "metadata.namespace").contains(field)) {
      return o -> stringAt(o, field, "");
    }
    if (type == ResourceType.EVENTS && EVENT_FIELDS.containsKey(field)) {
      return o -> stringAt(o, EVENT_FIELDS.get(field), "");
    }
    if (type == ResourceType.JOBS && field.equals("status.successful")) {
      return o -> stringAt(o, "status.succeeded", "0");
    }
    throw ApiError.badRequest("field label not supported: " + field);
  }

  private static String stringAt(JsonObject o, String path, String fallback) {
    JsonElement e = Json.at(o, path);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : fallback;
  }
}
