package com.crd.workflow.kube;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.util.List;

/**
 * The API calls the applier and the event recorder make: the seam a recording fake replaces in
 * tests. Failures are {@link ApiException}s carrying the HTTP code (0 for no answer at all).
 */
public interface ApiCalls {
  JsonObject get(String path) throws ApiException;

  /** Every item, following continue tokens. */
  List<JsonObject> list(String path, String labelSelector) throws ApiException;

  JsonObject create(String path, JsonElement body) throws ApiException;

  JsonObject mergePatch(String path, JsonObject patch) throws ApiException;

  /** Deletes with background propagation. */
  void delete(String path) throws ApiException;

  /**
   * Deletes with background propagation, only the object with this uid (a precondition): a 409
   * says the name now holds another object.
   */
  void delete(String path, String uid) throws ApiException;

  /**
   * One line for a log or a status message. client-java's {@link ApiException#getMessage()} adds
   * the response body and headers on further lines; this keeps the first ("HTTP 403: ...").
   */
  static String text(Throwable e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof ApiException && m.startsWith("Message: ")) {
      m = m.substring("Message: ".length());
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
