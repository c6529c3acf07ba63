package com.crd.workflow.fakeapi;

/**
 * One request as the fake server received it, before any injected fault.
 *
 * @param resource the resource plural ("jobs", "workflows", ...) or null for other paths
 * @param userAgent the client's User-Agent header, or null
 * @param at when the request arrived
 */
public record RecordedRequest(String method, String path, String query, String contentType, String body,
    String resource, String userAgent, java.time.Instant at) {

  /** A watch rather than a get or list. */
  public boolean isWatch() {
    return query != null && query.matches("(.*&)?watch=(true|1)(&.*)?");
  }

  public boolean isWrite() {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  /** "PATCH /apis/batch/v1/namespaces/ns/jobs/x/status": the form {@link FakeApiServer#requests()} uses. */
  @Override
  public String toString() {
    return method + " " + path;
  }
}
