package com.crd.workflow.kube;

import io.kubernetes.client.openapi.ApiException;

/**
 * Turns an API error into what the user should do about it: the same cause always gives the
 * same sentence, so callers can log each cause once and show it in /readyz.
 */
public final class Explain {
  private Explain() {}

  /** The cause of an error, for a metric label: a small, fixed set. */
  public enum Cause { CRD_MISSING, UNAUTHORIZED, FORBIDDEN, UNREACHABLE, THROTTLED, SERVER_ERROR, OTHER }

  public record Explanation(Cause cause, String message) {}

  /**
   * @param verb what was attempted ("list", "watch", "create", ...)
   * @param resource the resource plural ("workflows", "jobs", ...)
   * @param server the API server's URL
   */
  public static Explanation of(ApiException e, String verb, String resource, String server) {
    int code = e.getCode();
    String detail = ApiCalls.text(e);
    if (code == 404 && resource.equals("workflows") && (verb.equals("list") || verb.equals("watch"))) {
      return new Explanation(Cause.CRD_MISSING, "the Workflow CRD is not installed: "
          + "kubectl apply -f crd/workflow.yaml (make install-crd)");
    }
    if (code == 401) {
      return new Explanation(Cause.UNAUTHORIZED, "the API server at " + server
          + " does not accept the credentials (HTTP 401): check the kubeconfig's user or the "
          + "service account token");
    }
    if (code == 403) {
      return new Explanation(Cause.FORBIDDEN, "the API server refused to " + verb + " " + resource
          + " (HTTP 403): grant it as deploy/rbac.yaml does (" + firstLine(detail) + ")");
    }
    if (code == 0) {
      return new Explanation(Cause.UNREACHABLE, "cannot reach the API server at " + server + ": "
          + firstLine(rootCause(e)) + "; check the server URL in the kubeconfig and the network");
    }
    if (code == 429) {
      return new Explanation(Cause.THROTTLED, "the API server is throttling requests (HTTP 429)");
    }
    if (code >= 500) {
      return new Explanation(Cause.SERVER_ERROR, "the API server failed to " + verb + " " + resource
          + ": " + firstLine(detail));
    }
    return new Explanation(Cause.OTHER, verb + " " + resource + " failed: " + firstLine(detail));
  }

  private static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
