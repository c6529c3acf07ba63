package com.crd.workflow.fakeapi;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Injected failures. A rule matches on the HTTP method ("*" for any) and a regex searched for in
 * the request path (use ^ and $ to anchor), and is used up after {@code times} matches.
 */
final class Faults {
  /** What to do with a matching request. */
  enum Kind {
    /** Answer with an error Status without touching the store. */
    FAIL,
    /** Apply the request, then answer 500 as if the response had been lost. */
    LOSE_RESPONSE,
    /** A watch answered 200 with a body that is not a stream of events. */
    GARBAGE_WATCH,
    /** A watch that is accepted and then delivers nothing (a hung connection) until it times out. */
    STALL_WATCH,
    /** Wait {@code code} milliseconds, then serve the request normally. */
    DELAY
  }

  record Fault(Kind kind, int code) {}

  private static final class Rule {
    final String method;
    final Pattern path;
    final Kind kind;
    final int code;
    int remaining;

    Rule(String method, String pathRegex, Kind kind, int code, int times) {
      this.method = method;
      this.path = Pattern.compile(pathRegex);
      this.kind = kind;
      this.code = code;
      this.remaining = times;
    }

    /** "WATCH" matches watch requests only; "GET" matches lists, gets and watches. */
    boolean matches(String method, String path, boolean watch) {
      boolean methodMatches = this.method.equals("*") || this.method.equalsIgnoreCase(method)
          || (watch && this.method.equals("WATCH"));
      if (this.method.equals("WATCH") && !watch) {
        methodMatches = false;
      }
      return methodMatches && this.path.matcher(path).find();
    }
  }

  private final List<Rule> rules = new ArrayList<>();

  synchronized void add(String method, String pathRegex, Kind kind, int code, int times) {
    if (times > 0) {
      rules.add(new Rule(method, pathRegex, kind, code, times));
    }
  }

  /** Consumes and returns the first matching rule's fault, or null. */
  synchronized Fault take(String method, String path) {
    return take(method, path, false);
  }

  synchronized Fault take(String method, String path, boolean watch) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule r = it.next();
      if (r.matches(method, path, watch)) {
        if (--r.remaining <= 0) {
          it.remove();
        }
        return new Fault(r.kind, r.code);
      }
    }
    return null;
  }

  synchronized void clear() {
    rules.clear();
  }

  synchronized int pending() {
    return rules.stream().mapToInt(r -> r.remaining).sum();
  }
}
