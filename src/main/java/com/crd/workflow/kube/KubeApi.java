package com.crd.workflow.kube;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Raw JSON access to the API server through client-java's ApiClient (so kubeconfig auth, TLS and
 * token refresh are client-java's). JSON stays JSON: typed models reject fields newer servers add,
 * and untyped decoding turns integers into doubles.
 */
public final class KubeApi implements ApiCalls {
  public static final String MERGE_PATCH = "application/merge-patch+json";
  private static final int PAGE = 500;

  private final ApiClient client;
  private final BiConsumer<String, String> onCall; // (verb, outcome), for metrics
  private final RateLimiter limiter;

  public KubeApi(ApiClient client, BiConsumer<String, String> onCall) {
    this(client, onCall, RateLimiter.UNLIMITED);
  }

  /** @param limiter paces every call but watches, as client-go's QPS/burst do */
  public KubeApi(ApiClient client, BiConsumer<String, String> onCall, RateLimiter limiter) {
    this(client, onCall, limiter, new java.util.concurrent.atomic.AtomicLong(System.nanoTime()));
  }

  private KubeApi(ApiClient client, BiConsumer<String, String> onCall, RateLimiter limiter,
      java.util.concurrent.atomic.AtomicLong throttledUntil) {
    this.client = client;
    this.onCall = onCall == null ? (v, o) -> { } : onCall;
    this.limiter = limiter;
    this.throttledUntil = throttledUntil;
  }

  public ApiClient client() {
    return client;
  }

  public RateLimiter limiter() {
    return limiter;
  }

  /** The same client for calls whose budget the caller already took from {@link #limiter()}. */
  public KubeApi prepaid() {
    return new KubeApi(client, onCall, RateLimiter.UNLIMITED, throttledUntil);
  }

  @Override
  public JsonObject get(String path) throws ApiException {
    return call("get", "GET", path, List.of(), null, null);
  }

  /** Every item of a list, following {@code continue} tokens. */
  @Override
  public List<JsonObject> list(String path, String labelSelector) throws ApiException {
    List<JsonObject> items = new ArrayList<>();
    String cont = null;
    do {
      JsonObject page = call("list", "GET", path, listQuery(labelSelector, cont), null, null);
      JsonElement arr = page.get("items");
      if (arr instanceof JsonArray a) {
        a.forEach(e -> items.add(e.getAsJsonObject()));
      }
      cont = Json.str(page, "metadata", "continue");
    } while (cont != null && !cont.isEmpty());
    return items;
  }

  /**
   * Lists page by page, decoding each item as it streams in (no page is held as text or as a
   * tree), and returns the list's resourceVersion, from which a watch can resume.
   */
  public <T> String listInto(String path, String labelSelector, Decode.Kind<T> kind,
      java.util.function.Consumer<T> sink, java.util.function.Consumer<String> bad)
      throws ApiException {
    return listInto(path, labelSelector, kind, sink, bad, false);
  }

  /** @param background pages wait for spare request budget, behind every other call */
  public <T> String listInto(String path, String labelSelector, Decode.Kind<T> kind,
      java.util.function.Consumer<T> sink, java.util.function.Consumer<String> bad,
      boolean background) throws ApiException {
    String cont = null;
    String rv;
    do {
      String c = cont;
      if (background) {
        limiter.acquireSpare();
      }
      Decode.ListMeta meta = stream("list", path, listQuery(labelSelector, c), !background,
          body -> Decode.list(body, kind, sink, bad));
      rv = meta.resourceVersion();
      cont = meta.continueToken();
    } while (cont != null && !cont.isEmpty());
    return rv;
  }

  private static List<Pair> listQuery(String labelSelector, String cont) {
    List<Pair> q = new ArrayList<>();
    q.add(new Pair("limit", String.valueOf(PAGE)));
    if (labelSelector != null) {
      q.add(new Pair("labelSelector", labelSelector));
    }
    if (cont != null) {
      q.add(new Pair("continue", cont));
    }
    return q;
  }

  /** Reads a successful response's body as a stream. */
  public interface BodyReader<R> {
    R read(java.io.Reader body) throws IOException;
  }

  private <R> R stream(String verb, String path, List<Pair> query, boolean paced,
      BodyReader<R> reader) throws ApiException {
    if (paced) {
      limiter.acquire();
    }
    Call call = build(client, "GET", path, query, null, null);
    try (Response r = call.execute()) {
      if (!r.isSuccessful()) {
        String text = r.body() == null ? "" : r.body().string();
        onCall.accept(verb, outcome(r.code()));
        if (r.code() == 429) {
          throttle(r.header("Retry-After"));
        }
        throw new ApiException(r.code(), message(r.code(), text), r.headers().toMultimap(), text);
      }
      R result = reader.read(r.body().charStream());
      onCall.accept(verb, "success");
      return result;
    } catch (IOException | IllegalStateException | com.google.gson.JsonParseException e) {
      onCall.accept(verb, "error");
      throw new ApiException("GET " + path + ": " + e.getMessage(), e, 0, null, null);
    }
  }

  @Override
  public JsonObject create(String path, JsonElement body) throws ApiException {
    return call("create", "POST", path, List.of(), body, "application/json");
  }

  /** PUT: the body's metadata.resourceVersion makes it conditional. */
  public JsonObject replace(String path, JsonObject body) throws ApiException {
    return call("update", "PUT", path, List.of(), body, "application/json");
  }

  @Override
  public JsonObject mergePatch(String path, JsonObject patch) throws ApiException {
    return call("patch", "PATCH", path, List.of(), patch, MERGE_PATCH);
  }

  /** Deletes with background propagation: the object goes now, its dependents right after. */
  @Override
  public void delete(String path) throws ApiException {
    delete(path, null);
  }

  @Override
  public void delete(String path, String uid) throws ApiException {
    JsonObject options = new JsonObject();
    if (uid != null) {
      JsonObject pre = new JsonObject();
      pre.addProperty("uid", uid);
      options.add("preconditions", pre);
    }
    options.addProperty("apiVersion", "v1");
    options.addProperty("kind", "DeleteOptions");
    options.addProperty("propagationPolicy", "Background");
    // Also as a query parameter: the same value, for servers and proxies that drop DELETE bodies.
    call("delete", "DELETE", path, List.of(new Pair("propagationPolicy", "Background")), options,
        "application/json");
  }

  /** A watch call; the caller reads the body line by line and closes it. */
  public Call watchCall(ApiClient watchClient, String path, String labelSelector,
      String resourceVersion, int timeoutSeconds) throws ApiException {
    List<Pair> q = new ArrayList<>();
    q.add(new Pair("watch", "true"));
    q.add(new Pair("allowWatchBookmarks", "true"));
    q.add(new Pair("timeoutSeconds", String.valueOf(timeoutSeconds)));
    if (labelSelector != null) {
      q.add(new Pair("labelSelector", labelSelector));
    }
    if (resourceVersion != null) {
      q.add(new Pair("resourceVersion", resourceVersion));
    }
    return build(watchClient, "GET", path, q, null, null);
  }

  private JsonObject call(String verb, String method, String path, List<Pair> query, JsonElement body,
      String contentType) throws ApiException {
    // Bytes go out as they are: client-java's Gson would drop the nulls a merge patch needs.
    Object raw = body == null ? null : body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    limiter.acquire();
    Call call = build(client, method, path, query, raw, contentType);
    try (Response r = call.execute()) {
      String text = r.body() == null ? "" : r.body().string();
      if (!r.isSuccessful()) {
        onCall.accept(verb, outcome(r.code()));
        if (r.code() == 429) {
          throttle(r.header("Retry-After"));
        }
        throw new ApiException(r.code(), message(r.code(), text), r.headers().toMultimap(), text);
      }
      onCall.accept(verb, "success");
      return text.isBlank() ? new JsonObject() : JsonParser.parseString(text).getAsJsonObject();
    } catch (IOException | IllegalStateException | com.google.gson.JsonParseException e) {
      onCall.accept(verb, "error");
      throw new ApiException(method + " " + path + ": " + e.getMessage(), e, 0, null, null);
    }
  }

  private static Call build(ApiClient c, String method, String path, List<Pair> query, Object body,
      String contentType) throws ApiException {
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return c.buildCall(c.getBasePath(), path, method, query, List.of(), body, headers, Map.of(),
        Map.of(), new String[] {"BearerToken"}, null);
  }

  /** Shared with {@link #prepaid()} views: a 429 applies to the whole client. */
  private final java.util.concurrent.atomic.AtomicLong throttledUntil;

  /** How long the server asked us (429 Retry-After) to stay away, from now; zero if not. */
  public java.time.Duration throttledFor() {
    long left = throttledUntil.get() - System.nanoTime();
    return left > 0 ? java.time.Duration.ofNanos(left) : java.time.Duration.ZERO;
  }

  private void throttle(String retryAfter) {
    long seconds = 1;
    try {
      seconds = Math.max(1, Math.min(60, Long.parseLong(String.valueOf(retryAfter).trim())));
    } catch (NumberFormatException ignored) {
      // absent or an HTTP date: a second is what client-go assumes too
    }
    throttledUntil.set(System.nanoTime() + seconds * 1_000_000_000L);
  }

  static String outcome(int code) {
    return switch (code) {
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 429 -> "throttled";
      default -> code >= 500 ? "server_error" : "client_error";
    };
  }

  private static String message(int code, String body) {
    try {
      String m = Json.str(JsonParser.parseString(body).getAsJsonObject(), "message");
      if (m != null) {
        return "HTTP " + code + ": " + m;
      }
    } catch (RuntimeException ignored) {
      // not a Status body: fall through to the raw text
    }
    return "HTTP " + code + (body.isBlank() ? "" : ": " + body.strip());
  }
}
