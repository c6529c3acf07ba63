package com.crd.workflow.crd;

import static com.crd.workflow.crd.WorkflowCrd.map;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small model of what the API server does with a custom resource before its CEL rules run:
 * drop disallowed nulls, apply defaults, check the OpenAPI keywords. Messages imitate the API
 * server's. It refuses schema keywords it does not model, so a new constraint in the CRD cannot
 * be skipped here silently.
 */
final class StructuralSchema {
  private static final Set<String> MODELLED = Set.of(
      "type", "format", "description", "properties", "required", "items", "nullable", "default", "enum",
      "minItems", "maxItems", "minLength", "maxLength", "pattern",
      "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-validations",
      "x-kubernetes-preserve-unknown-fields", "additionalProperties", "anyOf",
      "x-kubernetes-int-or-string", "minimum");

  private StructuralSchema() {}

  /**
   * A copy of {@code value} as the API server would store it: non-nullable nulls without a default
   * removed (apiextensions' PruneNonNullableNullsWithoutDefaults), then defaults filled in,
   * recursively, so a defaulted {@code status: {}} gains its own defaulted fields.
   */
  static Object normalize(Object value, Map<String, Object> schema) {
    if (value instanceof Map<?, ?> in) {
      Map<String, Map<String, Object>> props = properties(schema);
      Map<String, Object> out = new LinkedHashMap<>();
      in.forEach((k, v) -> {
        Map<String, Object> prop = props.get(k);
        if (!(v == null && prop != null && !nullable(prop) && !prop.containsKey("default"))) {
          out.put((String) k, v);
        }
      });
      props.forEach((k, prop) -> {
        if (prop.containsKey("default") && (!out.containsKey(k) || out.get(k) == null && !nullable(prop))) {
          out.put(k, prop.get("default"));
        }
      });
      out.replaceAll((k, v) -> normalize(v, props.get(k)));
      return out;
    }
    if (value instanceof List<?> in) {
      Map<String, Object> items = schema == null || schema.get("items") == null ? null : map(schema.get("items"));
      List<Object> out = new ArrayList<>();
      in.forEach(v -> out.add(normalize(v, items)));
      return out;
    }
    return value;
  }

  static List<String> validate(Object value, Map<String, Object> schema) {
    List<String> errors = new ArrayList<>();
    check(value, schema, "", errors);
    return errors;
  }

  private static void check(Object value, Map<String, Object> schema, String path, List<String> errors) {
    for (String keyword : schema.keySet()) {
      if (!MODELLED.contains(keyword)) {
        throw new IllegalStateException(path + ": StructuralSchema does not model '" + keyword + "'");
      }
    }
    if (value == null) {
      if (!nullable(schema)) {
        errors.add(path + ": must not be null");
      }
      return;
    }
    String type = (String) schema.get("type");
    if (!hasType(value, type)) {
      errors.add(path + ": must be of type " + type);
      return;
    }
    if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))
        && !(hasType(value, "integer") || value instanceof String)) {
      errors.add(path + ": must be of type integer or string");
      return;
    }
    Number minimum = (Number) schema.get("minimum");
    if (minimum != null && value instanceof Number n && n.doubleValue() < minimum.doubleValue()) {
      errors.add(path + ": should be greater than or equal to " + minimum);
    }
    List<?> allowed = (List<?>) schema.get("enum");
    if (allowed != null && !allowed.contains(value)) {
      errors.add(path + ": Unsupported value: " + value + ": supported values: " + allowed);
    }
    if (value instanceof Map<?, ?> object) {
      checkObject(object, schema, path, errors);
    } else if (value instanceof List<?> list) {
      checkArray(list, schema, path, errors);
    } else if (value instanceof String string) {
      checkString(string, schema, path, errors);
    }
  }

  private static void checkObject(Map<?, ?> object, Map<String, Object> schema, String path, List<String> errors) {
    String prefix = path.isEmpty() ? "" : path + ".";
    for (Object name : (List<?>) schema.getOrDefault("required", List.of())) {
      if (!object.containsKey(name)) {
        errors.add(prefix + name + ": Required value");
      }
    }
    Map<String, Map<String, Object>> props = properties(schema);
    Map<String, Object> additional = schema.get("additionalProperties") == null ? null : map(schema.get("additionalProperties"));
    // An object without declared properties (metadata) is the API server's business, not this CRD's.
    boolean closed = !props.isEmpty() && !Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
    object.forEach((name, v) -> {
      Map<String, Object> prop = props.get(name);
      if (additional != null) {
        check(v, additional, prefix + name, errors);
      } else if (prop != null) {
        check(v, prop, prefix + name, errors);
      } else if (closed) {
        // The API server prunes these silently; kubectl's default strict field validation rejects them.
        errors.add(prefix + name + ": unknown field");
      }
    });
  }

  private static void checkArray(List<?> list, Map<String, Object> schema, String path, List<String> errors) {
    Number min = (Number) schema.get("minItems");
    Number max = (Number) schema.get("maxItems");
    if (min != null && list.size() < min.longValue()) {
      errors.add(path + ": must have at least " + min + " items");
    }
    if (max != null && list.size() > max.longValue()) {
      errors.add(path + ": must have at most " + max + " items");
    }
    Map<String, Object> items = map(schema.get("items"));
    for (int i = 0; i < list.size(); i++) {
      check(list.get(i), items, path + "[" + i + "]", errors);
    }
    if ("map".equals(schema.get("x-kubernetes-list-type"))) {
      List<?> keys = (List<?>) schema.get("x-kubernetes-list-map-keys");
      Set<List<Object>> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof Map<?, ?> item) {
          List<Object> key = new ArrayList<>();
          keys.forEach(k -> key.add(item.get(k)));
          if (!seen.add(key)) {
            errors.add(path + "[" + i + "]: Duplicate value: " + keys + "=" + key);
          }
        }
      }
    }
  }

  private static void checkString(String s, Map<String, Object> schema, String path, List<String> errors) {
    int length = s.codePointCount(0, s.length());
    Number min = (Number) schema.get("minLength");
    Number max = (Number) schema.get("maxLength");
    String pattern = (String) schema.get("pattern");
    if (min != null && length < min.longValue()) {
      errors.add(path + ": should be at least " + min + " chars long");
    }
    if (max != null && length > max.longValue()) {
      errors.add(path + ": may not be longer than " + max);
    }
    // OpenAPI patterns are unanchored searches, as in Go's regexp.MatchString.
    if (pattern != null && !Pattern.compile(pattern).matcher(s).find()) {
      errors.add(path + ": should match '" + pattern + "'");
    }
  }

  private static boolean hasType(Object value, String type) {
    if (type == null) {
      return true;
    }
    return switch (type) {
      case "object" -> value instanceof Map;
      case "array" -> value instanceof List;
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Integer || value instanceof Long || value instanceof BigInteger;
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      default -> throw new IllegalStateException("unknown type " + type);
    };
  }

  private static boolean nullable(Map<String, Object> schema) {
    return Boolean.TRUE.equals(schema.get("nullable"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> properties(Map<String, Object> schema) {
    Object props = schema == null ? null : schema.get("properties");
    return props == null ? Map.of() : (Map<String, Map<String, Object>>) props;
  }
}
