package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns HTTP requests into store operations, the way the API server's REST handlers do. */
final class ApiHandler implements HttpHandler {
  static final Duration DEFAULT_WATCH_TIMEOUT = Duration.ofMinutes(5);
  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());
  private static final String JOB_DELETE_WARNING = "299 - \"child pods are preserved by default when jobs are "
      + "deleted; set propagationPolicy=Background to remove them and silence this warning\"";

  /** Thrown out of the handler so the JDK server drops the TCP connection without a final chunk. */
  private static final class AbortConnection extends RuntimeException {
    AbortConnection() {
      super("watch dropped by test", null, false, false);
    }
  }

  private record Request(String method, String path, Map<String, String> query, String contentType, byte[] body) {
    String param(String name) {
      return query.get(name);
    }

    boolean isWatch() {
      String w = query.get("watch");
      return method.equals("GET") && ("true".equals(w) || "1".equals(w));
    }

    JsonObject jsonBody() {
      if (body.length == 0) {
        throw ApiError.badRequest("the request body is empty");
      }
      JsonElement e;
      try {
        e = Json.parse(new String(body, StandardCharsets.UTF_8));
      } catch (JsonParseException ex) {
        throw ApiError.badRequest("json parse error: " + ex.getMessage());
      }
      if (!e.isJsonObject()) {
        throw ApiError.badRequest("the request body must be a JSON object");
      }
      return e.getAsJsonObject();
    }
  }

  private record Response(int code, JsonElement body, Map<String, String> headers) {
    static Response ok(JsonElement body) {
      return new Response(200, body, Map.of());
    }

    static Response error(ApiError e) {
      Map<String, String> headers = e.retryAfterSeconds() == null
          ? Map.of() : Map.of("Retry-After", e.retryAfterSeconds().toString());
      return new Response(e.code(), e.toStatus(), headers);
    }
  }

  /** Where a path points: a resource collection, one object, or its status. */
  private record Route(ResourceType type, String namespace, String name, boolean status) {}

  /** Exchange attribute: when the request arrived, before any added latency. */
  static final String ARRIVED = "arrived";

  private final ObjectStore store;
  private final Faults faults;
  private final Consumer<RecordedRequest> recorder;
  private final Supplier<Duration> bookmarkInterval;

  private final FakeApiServer.Traffic traffic;

  ApiHandler(ObjectStore store, Faults faults, Consumer<RecordedRequest> recorder,
      Supplier<Duration> bookmarkInterval, FakeApiServer.Traffic traffic) {
    this.traffic = traffic;
    this.store = store;
    this.faults = faults;
    this.recorder = recorder;
    this.bookmarkInterval = bookmarkInterval;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    boolean abort = false;
    try {
      Request req = read(exchange);
      Faults.Fault fault = faults.take(req.method(), req.path(), req.isWatch());
      if (fault != null && fault.kind() == Faults.Kind.FAIL) {
        send(exchange, Response.error(ApiError.forCode(fault.code(), "injected fault")));
        return;
      }
      if (fault != null && fault.kind() == Faults.Kind.DELAY) {
        try {
          Thread.sleep(fault.code());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (fault != null && fault.kind() == Faults.Kind.GARBAGE_WATCH) {
        byte[] body = "<html><body>502 Bad Gateway</body></html>\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return;
      }
      if (fault != null && fault.kind() == Faults.Kind.STALL_WATCH) {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().flush();
        Integer timeout = intParam(req, "timeoutSeconds");
        try {
          Thread.sleep(Duration.ofSeconds(timeout == null ? 60 : timeout).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (req.isWatch()) {
        serveWatch(exchange, req);
        return;
      }
      Response response = respond(req);
      if (fault != null && fault.kind() == Faults.Kind.LOSE_RESPONSE) {
        response = Response.error(ApiError.internal("injected fault: the response was lost"));
      }
      long sent = send(exchange, response);
      traffic.allBytes.addAndGet(sent);
      if (req.method().equals("GET") && response.body() instanceof JsonObject o
          && Json.str(o, "kind") != null && Json.str(o, "kind").endsWith("List")) {
        traffic.lists.incrementAndGet();
        traffic.listBytes.addAndGet(sent);
      }
    } catch (AbortConnection e) {
      abort = true;
      throw e;
    } catch (IOException e) {
      LOG.log(Level.FINE, "client went away", e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fake API server failed on " + exchange.getRequestURI(), e);
      try {
        send(exchange, Response.error(ApiError.internal(String.valueOf(e))));
      } catch (IOException | RuntimeException ignored) {
        // headers were already sent; the close below ends the response
      }
    } finally {
      if (!abort) {
        exchange.close();
      }
    }
  }

  private Request read(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    byte[] body = exchange.getRequestBody().readAllBytes();
    recorder.accept(new RecordedRequest(method, path, rawQuery, contentType,
        new String(body, StandardCharsets.UTF_8), resourceOf(path),
        exchange.getRequestHeaders().getFirst("User-Agent"),
        exchange.getAttribute(ARRIVED) instanceof java.time.Instant t ? t : java.time.Instant.now()));
    return new Request(method, path, parseQuery(rawQuery), contentType, body);
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.putIfAbsent(key, value);
    }
    return query;
  }

  /** Returns the number of body bytes sent. */
  private static long send(HttpExchange exchange, Response response) throws IOException {
    boolean text = response.body().isJsonPrimitive();
    byte[] bytes = (text ? response.body().getAsString() : Json.write(response.body()))
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", text ? "text/plain; charset=utf-8" : "application/json");
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(response.code(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    return bytes.length;
  }

  // ---------------------------------------------------------------- routing

  /** The resource plural a path refers to, for per-resource write counts. */
  static String resourceOf(String path) {
    List<String> s = segments(path);
    int start = s.isEmpty() ? 0 : s.get(0).equals("api") ? 2 : s.get(0).equals("apis") ? 3 : Integer.MAX_VALUE;
    if (start >= s.size()) {
      return null;
    }
    if (s.get(start).equals("namespaces")) {
      return s.size() > start + 2 ? s.get(start + 2) : null;
    }
    return s.get(start);
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private Response respond(Request req) {
    try {
      Route route = route(req.path());
      if (route.name() == null) {
        return collection(req, route);
      }
      return object(req, route);
    } catch (ApiError e) {
      return Response.error(e);
    }
  }

  private static Route route(String path) {
    List<String> s = segments(path);
    String group;
    String version;
    int i;
    if (s.size() >= 2 && s.get(0).equals("api")) {
      group = "";
      version = s.get(1);
      i = 2;
    } else if (s.size() >= 3 && s.get(0).equals("apis")) {
      group = s.get(1);
      version = s.get(2);
      i = 3;
    } else {
      throw ApiError.pathNotFound();
    }
    List<String> rest = s.subList(i, s.size());
    String ns = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      ns = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3 || (ns == null && rest.size() > 1)) {
      throw ApiError.pathNotFound();
    }
    ResourceType type = ResourceType.find(group, version, rest.get(0)).orElseThrow(ApiError::pathNotFound);
    String name = rest.size() > 1 ? rest.get(1) : null;
    boolean status = rest.size() == 3;
    if (status && (!rest.get(2).equals("status") || !type.statusSubresource())) {
      throw ApiError.pathNotFound();
    }
    return new Route(type, ns, name, status);
  }

  private Response collection(Request req, Route route) {
    ResourceType type = route.type();
    switch (req.method()) {
      case "GET" -> {
        return Response.ok(list(type, route.namespace(), req));
      }
      case "POST" -> {
        if (route.namespace() == null) {
          throw ApiError.methodNotAllowed();
        }
        return new Response(201, store.create(type, route.namespace(), req.jsonBody()), Map.of());
      }
      case "DELETE" -> {
        return Response.ok(deleteCollection(type, route.namespace(), req));
      }
      default -> throw ApiError.methodNotAllowed();
    }
  }

  private Response object(Request req, Route route) {
    ResourceType type = route.type();
    ObjectStore.Target target = route.status() ? ObjectStore.Target.STATUS : ObjectStore.Target.MAIN;
    switch (req.method()) {
      case "GET" -> {
        return Response.ok(store.get(type, route.namespace(), route.name()));
      }
      case "PUT" -> {
        ObjectStore.WriteResult r = store.update(type, route.namespace(), route.name(), req.jsonBody(), target);
        return new Response(r.created() ? 201 : 200, r.object(), Map.of());
      }
      case "PATCH" -> {
        return Response.ok(store.patch(type, route.namespace(), route.name(), patcher(type, req), target));
      }
      case "DELETE" -> {
        if (route.status()) {
          throw ApiError.methodNotAllowed();
        }
        return delete(type, route, req);
      }
      default -> throw ApiError.methodNotAllowed();
    }
  }

  // ---------------------------------------------------------------- list

  private JsonObject list(ResourceType type, String ns, Request req) {
    Predicate<JsonObject> filter = filter(type, req);
    String after = decodeContinue(req.param("continue"));
    Integer limit = intParam(req, "limit");
    boolean selected = req.param("labelSelector") != null || req.param("fieldSelector") != null;
    ObjectStore.Page page = store.listPage(type, ns, filter, after, limit == null ? 0 : limit, !selected);
    List<JsonObject> items = page.items();
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", page.resourceVersion());
    if (page.more() && !items.isEmpty()) {
      meta.addProperty("continue", Base64.getUrlEncoder().encodeToString(
          sortKey(items.get(items.size() - 1)).getBytes(StandardCharsets.UTF_8)));
      if (page.remaining() >= 0) {
        meta.addProperty("remainingItemCount", page.remaining());
      }
    }
    return listObject(type, meta, items);
  }

  private static JsonObject listObject(ResourceType type, JsonObject meta, List<JsonObject> items) {
    JsonObject list = new JsonObject();
    list.addProperty("apiVersion", type.apiVersion());
    list.addProperty("kind", type.listKind());
    list.add("metadata", meta);
    JsonArray array = new JsonArray();
    items.forEach(array::add);
    list.add("items", array);
    return list;
  }

  private static String sortKey(JsonObject o) {
    return Json.namespace(o) + '\0' + Json.name(o);
  }

  private static String decodeContinue(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid continue token: " + token);
    }
  }

  private static Integer intParam(Request req, String name) {
    String v = req.param(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("invalid " + name + ": " + v);
    }
  }

  private static Predicate<JsonObject> filter(ResourceType type, Request req) {
    LabelSelector labels;
    try {
      labels = LabelSelector.parse(req.param("labelSelector"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    // metadata.name / metadata.namespace: `get --watch` follows one workflow by name.
    Predicate<JsonObject> fields = FieldSelector.parse(type, req.param("fieldSelector"));
    return o -> labels.matchesObject(o) && fields.test(o);
  }

  // ---------------------------------------------------------------- patch

  /** Merge patches only: the operator sends nothing else (JSON, strategic and apply patches get 415). */
  private static UnaryOperator<JsonObject> patcher(ResourceType type, Request req) {
    String contentType = req.contentType() == null ? ""
        : req.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!contentType.equals("application/merge-patch+json")) {
      throw ApiError.unsupportedMediaType("application/merge-patch+json (the only patch emulated)");
    }
    try {
      return mergePatcher(Json.parse(new String(req.body(), StandardCharsets.UTF_8)));
    } catch (JsonParseException e) {
      throw ApiError.badRequest("error decoding patch: " + e.getMessage());
    }
  }

  private static UnaryOperator<JsonObject> mergePatcher(JsonElement patch) {
    if (patch == null || !patch.isJsonObject()) {
      throw ApiError.badRequest("error decoding patch: a merge patch must be a JSON object");
    }
    return obj -> MergePatch.apply(obj, patch).getAsJsonObject();
  }

  // ---------------------------------------------------------------- delete

  private record DeleteOptions(String policy, JsonObject preconditions) {}

  private static DeleteOptions deleteOptions(Request req) {
    JsonObject options = req.body().length == 0 ? new JsonObject() : req.jsonBody();
    String policy = req.param("propagationPolicy");
    if (policy == null) {
      policy = Json.str(options, "propagationPolicy");
    }
    String orphanParam = req.param("orphanDependents");
    Boolean orphan = orphanParam != null ? Boolean.valueOf(orphanParam) : Json.bool(options, "orphanDependents");
    if (policy != null && orphan != null) {
      throw ApiError.unprocessable("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Forbidden: "
          + "orphanDependents and deletionPropagation cannot be both set");
    }
    if (policy != null && !List.of("Background", "Foreground", "Orphan").contains(policy)) {
      throw ApiError.unprocessable("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \""
          + policy + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    if (policy == null && orphan != null) {
      policy = orphan ? "Orphan" : "Background";
    }
    return new DeleteOptions(policy, Json.obj(options, "preconditions"));
  }

  private Response delete(ResourceType type, Route route, Request req) {
    DeleteOptions options = deleteOptions(req);
    ObjectStore.DeleteResult r = store.delete(type, route.namespace(), route.name(), options.policy(),
        options.preconditions());
    Map<String, String> headers = type == ResourceType.JOBS && options.policy() == null
        ? Map.of("Warning", JOB_DELETE_WARNING) : Map.of();
    if (!r.removed()) {
      return new Response(200, r.object(), headers);
    }
    JsonObject status = new JsonObject();
    status.addProperty("kind", "Status");
    status.addProperty("apiVersion", "v1");
    status.add("metadata", new JsonObject());
    status.addProperty("status", "Success");
    JsonObject details = new JsonObject();
    details.addProperty("name", route.name());
    if (!type.group().isEmpty()) {
      details.addProperty("group", type.group());
    }
    details.addProperty("kind", type.plural());
    details.addProperty("uid", Json.uid(r.object()));
    status.add("details", details);
    return new Response(200, status, headers);
  }

  private JsonObject deleteCollection(ResourceType type, String ns, Request req) {
    DeleteOptions options = deleteOptions(req);
    List<JsonObject> deleted = new ArrayList<>();
    for (JsonObject o : store.list(type, ns, filter(type, req)).items()) {
      try {
        deleted.add(store.delete(type, Json.namespace(o), Json.name(o), options.policy(), null).object());
      } catch (ApiError e) {
        // deleted concurrently
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", store.currentResourceVersion());
    return listObject(type, meta, deleted);
  }

  // ---------------------------------------------------------------- watch

  /**
   * The watch cache's schedule: a bookmark every interval, and one 2 s before the timeout so a
   * client can resume from the newest version; none once that moment has passed.
   */
  private long nextBookmarkTime(long now, long deadline) {
    long next = Math.min(now + bookmarkInterval.get().toNanos(), deadline - Duration.ofSeconds(2).toNanos());
    return next - now > 0 ? next : Long.MAX_VALUE;
  }

  private void serveWatch(HttpExchange exchange, Request req) throws IOException {
    Route route;
    WatchSubscription sub;
    try {
      route = route(req.path());
      if (route.name() != null) {
        throw ApiError.methodNotAllowed();
      }
      String sendInitial = req.param("sendInitialEvents");
      sub = store.watch(route.type(), route.namespace(), filter(route.type(), req), req.param("resourceVersion"),
          sendInitial == null ? null : Boolean.valueOf(sendInitial),
          "true".equals(req.param("allowWatchBookmarks")));
    } catch (ApiError e) {
      if (e.code() != 410) {
        send(exchange, Response.error(e));
        return;
      }
      // A real server accepts the watch and reports expiry as the first and only event.
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write(WatchEvent.toLine("ERROR", e.toStatus()).getBytes(StandardCharsets.UTF_8));
      out.flush();
      return;
    }
    Integer timeoutSeconds = intParam(req, "timeoutSeconds");
    Duration timeout = timeoutSeconds == null || timeoutSeconds <= 0
        ? DEFAULT_WATCH_TIMEOUT : Duration.ofSeconds(timeoutSeconds);
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean bookmarks = "true".equals(req.param("allowWatchBookmarks"));
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.flush();
      long nextBookmark = bookmarks ? nextBookmarkTime(System.nanoTime(), deadline) : Long.MAX_VALUE;
      while (true) {
        String line = sub.next(Math.min(deadline, nextBookmark));
        if (line != null) {
          byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
          traffic.watchBytes.addAndGet(bytes.length);
          traffic.allBytes.addAndGet(bytes.length);
          out.write(bytes);
          out.flush();
          continue;
        }
        long now = System.nanoTime();
        if (sub.end() != null || now - deadline >= 0) {
          break;
        }
        if (now - nextBookmark >= 0) {
          store.bookmark(sub);
          nextBookmark = nextBookmarkTime(now, deadline);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      store.unsubscribe(sub);
    }
    if (sub.end() == WatchSubscription.End.DROPPED) {
      throw new AbortConnection();
    }
  }
}
