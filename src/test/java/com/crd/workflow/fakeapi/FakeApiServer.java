package com.crd.workflow.fakeapi;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Kubernetes API server for tests: Workflows (workflow.crd.com/v1), Jobs, Leases
 * and Events over real HTTP, with a simulated Job controller and garbage collector, so the
 * operator can be driven through the real client-java exactly as against a cluster.
 *
 * <pre>{@code
 * try (FakeApiServer api = new FakeApiServer().start()) {
 *   ApiClient client = Config.fromUrl(api.url());
 *   ...
 * }
 * }</pre>
 */
public final class FakeApiServer implements AutoCloseable {
  static {
    // Watch events are small writes; without TCP_NODELAY each can sit ~40 ms in Nagle's buffer.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Clock clock;
  private final ObjectStore store;
  private final GarbageCollector gc;
  private final JobController jobs;
  private final Faults faults = new Faults();
  private final Latency latency = new Latency();
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final AtomicInteger writeCount = new AtomicInteger();
  private final Map<String, Integer> writesByResource = new HashMap<>();
  private volatile Duration bookmarkInterval = Duration.ofMinutes(1);
  private final Traffic traffic = new Traffic();
  private HttpServer http;
  private ExecutorService executor;

  /** A server on the system clock. */
  public FakeApiServer() {
    this(Clock.systemUTC());
  }

  /** @param clock drives timestamps, Job runtimes, deadlines and TTLs */
  public FakeApiServer(Clock clock) {
    this.clock = clock;
    this.store = new ObjectStore(clock, ObjectStore.DEFAULT_HISTORY_LIMIT);
    this.gc = new GarbageCollector(store);
    this.jobs = new JobController(store, clock);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Binds 127.0.0.1 on a free port and starts serving; returns this for chaining. */
  public synchronized FakeApiServer start() {
    if (http != null) {
      return this;
    }
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-apiserver-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    ApiHandler handler = new ApiHandler(store, faults, this::record, () -> bookmarkInterval, traffic);
    http.createContext("/", exchange -> {
      exchange.setAttribute(ApiHandler.ARRIVED, java.time.Instant.now()); // before any added latency
      latency.apply(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getRawQuery());
      handler.handle(exchange);
    });
    http.start();
    gc.start();
    jobs.start();
    return this;
  }

  /** "http://127.0.0.1:PORT". */
  public String url() {
    if (http == null) {
      throw new IllegalStateException("server not started");
    }
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /**
   * Writes a kubeconfig with one cluster, user and context (namespace "default") pointing at
   * {@link #url()} over plain HTTP without credentials, loadable by {@code Config.fromConfig}.
   */
  public Path writeKubeconfig(Path path) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: %s
        users:
        - name: fake
          user: {}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: fake
            namespace: default
        current-context: fake
        preferences: {}
        """.formatted(url());
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  @Override
  public synchronized void close() {
    jobs.close();
    gc.close();
    if (http != null) {
      store.closeWatches();
      http.stop(0);
      executor.shutdownNow();
      http = null;
    }
  }

  public Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- request log and counters

  private void record(RecordedRequest request) {
    synchronized (requests) {
      requests.add(request);
      if (request.isWrite()) {
        writeCount.incrementAndGet();
        writesByResource.merge(String.valueOf(request.resource()), 1, Integer::sum);
      }
    }
  }

  /** Mutating requests (POST, PUT, PATCH, DELETE) received since start or the last reset. */
  public int writeCount() {
    return writeCount.get();
  }

  /** Mutating requests received for one resource plural, e.g. "jobs" (including /status). */
  public int writes(String resourcePlural) {
    synchronized (requests) {
      return writesByResource.getOrDefault(resourcePlural, 0);
    }
  }

  public void resetWriteCount() {
    synchronized (requests) {
      writeCount.set(0);
      writesByResource.clear();
    }
  }

  /** Every request so far as "METHOD /path" (no query string), in arrival order. */
  public List<String> requests() {
    synchronized (requests) {
      return requests.stream().map(RecordedRequest::toString).toList();
    }
  }

  /** Every request so far with query, content type and body. */
  public List<RecordedRequest> recordedRequests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public void clearRequests() {
    synchronized (requests) {
      requests.clear();
    }
  }

  // ---------------------------------------------------------------- fault injection

  /**
   * The next {@code times} requests whose method matches ("*" for any) and whose path contains a
   * match of {@code pathRegex} get an error Status with this code (429 adds Retry-After: 1); the
   * store is not touched.
   */
  public void failNext(String method, String pathRegex, int code, int times) {
    faults.add(method, pathRegex, Faults.Kind.FAIL, code, times);
  }

  public void failNext(String method, String pathRegex, int code) {
    failNext(method, pathRegex, code, 1);
  }

  /** The next matching request is applied to the store, but the client gets a 500. */
  public void loseNextResponse(String method, String pathRegex) {
    loseNextResponses(method, pathRegex, 1);
  }

  public void loseNextResponses(String method, String pathRegex, int times) {
    faults.add(method, pathRegex, Faults.Kind.LOSE_RESPONSE, 500, times);
  }

  /**
   * The next {@code times} watch requests on a matching path answer 200 with a body that is not a
   * stream of watch events (what a misconfigured proxy sends).
   */
  public void garbageWatches(String pathRegex, int times) {
    faults.add("WATCH", pathRegex, Faults.Kind.GARBAGE_WATCH, 200, times);
  }

  /** The next {@code times} matching watches are accepted and then stay silent until they time out. */
  public void stallWatches(String pathRegex, int times) {
    faults.add("WATCH", pathRegex, Faults.Kind.STALL_WATCH, 200, times);
  }

  /** The next {@code times} matching requests ("WATCH" for watches only) wait {@code millis} first. */
  public void delay(String method, String pathRegex, int millis, int times) {
    faults.add(method, pathRegex, Faults.Kind.DELAY, millis, times);
  }

  /**
   * From now on, {@code share} (0 to 1) of the requests matching method ("*" for any) and path
   * regex wait a random time in [min, max] before being served; watches are not delayed.
   * Replaces any earlier latency rule.
   */
  public void addLatency(String method, String pathRegex, Duration min, Duration max, double share) {
    latency.set(method, pathRegex, min, max, share);
  }

  public void clearLatency() {
    latency.clear();
  }

  /** Removes fault rules that have not fired yet. */
  public void clearFaults() {
    faults.clear();
  }

  /** Cuts every open watch connection without a proper end of stream, like a dying apiserver. */
  public void dropWatches() {
    store.dropWatches();
  }

  /**
   * How often watches that allow bookmarks get a BOOKMARK (default one minute, like the real watch
   * cache; each also gets one 2 s before its timeout).
   */
  public void setWatchBookmarkInterval(Duration interval) {
    this.bookmarkInterval = interval;
  }

  public int openWatches() {
    return store.openWatches();
  }

  /** Forgets the watch history, so resuming a watch from any earlier version gets 410 Expired. */
  public void compactWatchHistory() {
    store.compactHistory();
  }

  public String resourceVersion() {
    return store.currentResourceVersion();
  }

  // ---------------------------------------------------------------- direct store access

  /** A copy of the object, or null if there is none. */
  public JsonObject get(String plural, String namespace, String name) {
    return store.getOrNull(ResourceType.byPlural(plural), namespace, name);
  }

  /** Copies of all objects of a resource, sorted by namespace and name. */
  public List<JsonObject> list(String plural, String namespace /* null = all */) {
    return store.list(ResourceType.byPlural(plural), namespace, o -> true).items();
  }

  /**
   * Creates with POST semantics (status dropped where there is a status subresource); missing
   * apiVersion and kind are filled in for convenience.
   */
  public JsonObject create(String plural, String namespace, JsonObject object) {
    ResourceType type = ResourceType.byPlural(plural);
    JsonObject body = object.deepCopy();
    if (!body.has("apiVersion")) {
      body.addProperty("apiVersion", type.apiVersion());
    }
    if (!body.has("kind")) {
      body.addProperty("kind", type.kind());
    }
    return store.create(type, namespace, body);
  }

  /** JSON merge patch of the main resource (status changes are ignored where it has a subresource). */
  public JsonObject mergePatch(String plural, String namespace, String name, String patchJson) {
    return patch(plural, namespace, name, patchJson, ObjectStore.Target.MAIN);
  }

  /** JSON merge patch through the /status subresource (or the object, for types without one). */
  public JsonObject mergePatchStatus(String plural, String namespace, String name, String patchJson) {
    ResourceType type = ResourceType.byPlural(plural);
    return patch(plural, namespace, name, patchJson,
        type.statusSubresource() ? ObjectStore.Target.STATUS : ObjectStore.Target.MAIN);
  }

  private JsonObject patch(String plural, String namespace, String name, String patchJson,
      ObjectStore.Target target) {
    JsonObject patch = Json.parse(patchJson).getAsJsonObject();
    return store.patch(ResourceType.byPlural(plural), namespace, name,
        o -> MergePatch.apply(o, patch).getAsJsonObject(), target);
  }

  /** Deletes with the type's default propagation; false if there was nothing to delete. */
  public boolean delete(String plural, String namespace, String name) {
    return delete(plural, namespace, name, null);
  }

  /** @param propagationPolicy Background, Foreground, Orphan or null for the type's default */
  public boolean delete(String plural, String namespace, String name, String propagationPolicy) {
    try {
      store.delete(ResourceType.byPlural(plural), namespace, name, propagationPolicy, null);
      return true;
    } catch (ApiError e) {
      if (e.code() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The retained watch events of a resource as {"type", "object"}, oldest first. */
  public List<JsonObject> watchEvents(String plural) {
    return store.history(ResourceType.byPlural(plural)).stream().map(e -> {
      JsonObject o = new JsonObject();
      o.addProperty("type", e.type());
      o.add("object", e.object().deepCopy());
      return o;
    }).toList();
  }

  // ---------------------------------------------------------------- job controller

  /** Stops the simulated Job controller until {@link #resumeJobController()}; time keeps running. */
  public void pauseJobController() {
    jobs.setPaused(true);
  }

  public void resumeJobController() {
    jobs.setPaused(false);
  }

  /** Disabled, Jobs get no status at all: tests write it themselves. */
  public void setJobControllerEnabled(boolean enabled) {
    jobs.setEnabled(enabled);
  }

  public void setGarbageCollectorEnabled(boolean enabled) {
    gc.setEnabled(enabled);
  }

  /**
   * Calls {@code listener(type, object)} for every change of one resource at the moment it is
   * committed (under the store lock, so it must be quick and must not call back into the server).
   * The object is shared: read it, never change it.
   */
  public void onChange(String plural, java.util.function.BiConsumer<String, JsonObject> listener) {
    ResourceType type = ResourceType.byPlural(plural);
    store.addListener(e -> {
      if (e.resource() == type) {
        listener.accept(e.type(), e.object());
      }
    });
  }

  /** Bytes and requests served, for benchmarks: lists, watches, and everything. */
  public Traffic traffic() {
    return traffic;
  }

  /** Counters of what the server sent. */
  public static final class Traffic {
    final java.util.concurrent.atomic.AtomicLong lists = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong listBytes = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong watchBytes = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong allBytes = new java.util.concurrent.atomic.AtomicLong();

    public long lists() {
      return lists.get();
    }

    public long listBytes() {
      return listBytes.get();
    }

    public long watchBytes() {
      return watchBytes.get();
    }

    /** Every response byte: lists, watches, gets, writes' answers. */
    public long allBytes() {
      return allBytes.get();
    }
  }

  /** Runs one Job controller pass now, e.g. after advancing a fake clock. */
  public void tickJobController() {
    jobs.tick();
  }
}
