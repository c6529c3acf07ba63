package com.crd.workflow.scenarios;

import com.crd.workflow.fakeapi.RecordedRequest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operator asked of the in-process API in this test run, in RBAC's terms: every
 * in-process cluster hands over its recorded requests when it closes, and those the operator
 * made (its User-Agent) become (apiGroup, resource, verb, namespace) uses. RBAC is then checked
 * against these, not against a list someone remembered to update.
 */
public final class ApiUsage {
  /** One kind of request: {@code resource} includes a subresource ("workflows/status"). */
  public record Use(String apiGroup, String resource, String verb, String namespace)
      implements Comparable<Use> {
    @Override
    public int compareTo(Use o) {
      return toString().compareTo(o.toString());
    }
  }

  // /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]] and /apis/GROUP/VERSION[/namespaces/NS]/...
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?$");
  private static final Set<Use> USES = new TreeSet<>();
  private static int clusters;
  private static boolean suiteRan;

  private ApiUsage() {}

  static synchronized void add(List<RecordedRequest> requests) {
    clusters++;
    for (RecordedRequest r : requests) {
      if (r.userAgent() != null && r.userAgent().startsWith("workflow-operator/")) {
        USES.add(use(r));
      }
    }
  }

  /** Uses recorded so far, and from how many in-process clusters. */
  public static synchronized Set<Use> uses() {
    return new TreeSet<>(USES);
  }

  public static synchronized int clusters() {
    return clusters;
  }

  /** The in-process scenario suite ran to its end in this JVM. */
  static synchronized void suiteCompleted() {
    suiteRan = true;
  }

  static synchronized boolean suiteRan() {
    return suiteRan;
  }

  static Use use(RecordedRequest r) {
    Matcher m = PATH.matcher(r.path());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a resource path: " + r.path());
    }
    // "/api/v1/namespaces/NS" itself reads as resource "namespaces" named NS: PATH cannot tell.
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
    boolean named = m.group(4) != null;
    String verb = switch (r.method()) {
      case "GET" -> r.isWatch() ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new IllegalArgumentException("unexpected method " + r.method());
    };
    return new Use(group, resource, verb, m.group(2));
  }
}
