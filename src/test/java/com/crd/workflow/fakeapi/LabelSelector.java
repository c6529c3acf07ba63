package com.crd.workflow.fakeapi;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string form of a Kubernetes label selector (as in {@code ?labelSelector=}). Comma-separated
 * requirements are ANDed; an empty selector matches everything.
 */
public final class LabelSelector {
  private static final Pattern SET_BASED =
      Pattern.compile("^([^\\s=!<>(),]+)\\s+(in|notin)\\s*\\((.*)\\)$");
  private static final Pattern EQUALITY =
      Pattern.compile("^([^\\s=!<>(),]+)\\s*(==|=|!=|>|<)\\s*([^\\s(),]*)$");
  private static final Pattern KEY =
      Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final Pattern VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  private final List<Predicate<JsonObject>> requirements;
  private final String text;

  private LabelSelector(List<Predicate<JsonObject>> requirements, String text) {
    this.requirements = requirements;
    this.text = text;
  }

  public static LabelSelector everything() {
    return new LabelSelector(List.of(), "");
  }

  /** @throws IllegalArgumentException with the real server's wording when the text is malformed */
  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return everything();
    }
    List<Predicate<JsonObject>> reqs = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      reqs.add(requirement(part.trim()));
    }
    return new LabelSelector(List.copyOf(reqs), text);
  }

  /** @param labels the object's metadata.labels, or null */
  public boolean matches(JsonObject labels) {
    JsonObject l = labels == null ? new JsonObject() : labels;
    return requirements.stream().allMatch(r -> r.test(l));
  }

  public boolean matchesObject(JsonObject object) {
    return matches(Json.labels(object));
  }

  @Override
  public String toString() {
    return text;
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }

  private static Predicate<JsonObject> requirement(String req) {
    if (req.isEmpty()) {
      throw unparsable(req, "found '', expected: identifier");
    }
    if (req.startsWith("!")) {
      String key = key(req.substring(1).trim(), req);
      return labels -> !labels.has(key);
    }
    Matcher set = SET_BASED.matcher(req);
    if (set.matches()) {
      String key = key(set.group(1), req);
      Set<String> values = Set.copyOf(values(set.group(3), req));
      boolean in = set.group(2).equals("in");
      return labels -> {
        String v = value(labels, key);
        return in ? v != null && values.contains(v) : v == null || !values.contains(v);
      };
    }
    Matcher eq = EQUALITY.matcher(req);
    if (eq.matches()) {
      String key = key(eq.group(1), req);
      String op = eq.group(2);
      String expected = value(eq.group(3), req);
      return switch (op) {
        case "=", "==" -> labels -> expected.equals(value(labels, key));
        case "!=" -> labels -> !expected.equals(value(labels, key));
        default -> numeric(key, op, expected, req);
      };
    }
    String key = key(req, req);
    return labels -> labels.has(key);
  }

  private static Predicate<JsonObject> numeric(String key, String op, String expected, String req) {
    long bound;
    try {
      bound = Long.parseLong(expected);
    } catch (NumberFormatException e) {
      throw unparsable(req, "for 'Gt', 'Lt' operators, the value must be an integer");
    }
    return labels -> {
      String v = value(labels, key);
      if (v == null) {
        return false;
      }
      try {
        long actual = Long.parseLong(v);
        return op.equals(">") ? actual > bound : actual < bound;
      } catch (NumberFormatException e) {
        return false;
      }
    };
  }

  private static List<String> values(String list, String req) {
    List<String> values = new ArrayList<>();
    for (String v : list.split(",", -1)) {
      values.add(value(v.trim(), req));
    }
    return values;
  }

  private static String key(String key, String req) {
    if (!KEY.matcher(key).matches() || key.length() > 316) {
      throw unparsable(req, "invalid label key \"" + key + "\"");
    }
    return key;
  }

  private static String value(String value, String req) {
    if (!VALUE.matcher(value).matches() || value.length() > 63) {
      throw unparsable(req, "invalid label value: \"" + value + "\"");
    }
    return value;
  }

  private static String value(JsonObject labels, String key) {
    JsonElement v = labels.get(key);
    return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
  }

  private static IllegalArgumentException unparsable(String req, String why) {
    return new IllegalArgumentException("unable to parse requirement: " + why + " in \"" + req + "\"");
  }
}
