package com.crd.workflow.fakeapi;

/**
 * One request as the fake server received it, before any injected fault.
 *
 * @param resource the resource plural ("jobs", "workflows", ...) or null for other paths
 */
public record RecordedRequest(String method, String path, String query, String contentType, String body,
    String resource) {

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
