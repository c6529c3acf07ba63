package com.crd.workflow.kube;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording fake of {@link ApiCalls}, in the manner of the CronJob controller's fakeJobControl:
 * every call is recorded as "VERB path", and a test scripts what a call answers (an object, or an
 * HTTP error code) by verb and path suffix; unscripted calls succeed.
 */
final class RecordingApi implements ApiCalls {
  final List<String> calls = new ArrayList<>();
  private final Map<String, Deque<Object>> script = new LinkedHashMap<>();

  /** The next call whose "VERB path" ends with {@code suffix} answers {@code answer}. */
  RecordingApi on(String verb, String suffix, Object answer) {
    script.computeIfAbsent(verb + " " + suffix, k -> new ArrayDeque<>()).add(answer);
    return this;
  }

  private JsonObject answer(String verb, String path, JsonObject dflt) throws ApiException {
    calls.add(verb + " " + path);
    for (Map.Entry<String, Deque<Object>> e : script.entrySet()) {
      String[] key = e.getKey().split(" ", 2);
      if (key[0].equals(verb) && path.endsWith(key[1]) && !e.getValue().isEmpty()) {
        Object a = e.getValue().poll();
        if (a instanceof Integer code) {
          throw new ApiException(code, "HTTP " + code + ": scripted");
        }
        return (JsonObject) a;
      }
    }
    return dflt;
  }

  @Override
  public JsonObject get(String path) throws ApiException {
    return answer("GET", path, new JsonObject());
  }

  @Override
  public List<JsonObject> list(String path, String labelSelector) throws ApiException {
    answer("LIST", path, null);
    return List.of();
  }

  @Override
  public JsonObject create(String path, JsonElement body) throws ApiException {
    return answer("POST", path, body.getAsJsonObject());
  }

  @Override
  public JsonObject mergePatch(String path, JsonObject patch) throws ApiException {
    return answer("PATCH", path, patch);
  }

  @Override
  public void delete(String path) throws ApiException {
    answer("DELETE", path, null);
  }

  @Override
  public void delete(String path, String uid) throws ApiException {
    answer("DELETE", path + (uid == null ? "" : " uid=" + uid), null);
  }

  List<String> writes() {
    return calls.stream().filter(c -> !c.startsWith("GET") && !c.startsWith("LIST")).toList();
  }
}
