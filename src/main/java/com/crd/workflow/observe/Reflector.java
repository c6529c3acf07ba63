package com.crd.workflow.observe;

import com.crd.workflow.Log;
import com.crd.workflow.kube.Decode;
import com.crd.workflow.kube.ApiCalls;
import com.crd.workflow.kube.Explain;
import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Keeps one collection (Workflows or managed Jobs, in one namespace or all) mirrored: LIST, then
 * WATCH from the list's resourceVersion, applying each event; LIST again after any gap (410 Gone,
 * an ERROR event, a line that is not an event). A watch that ends quietly (its timeout) resumes
 * from the last resourceVersion seen, bookmarks included, without a LIST. Every resync period a
 * second thread LISTs again beside the running watch, as a safety net.
 *
 * <p>If the server lists but will not watch, it falls back to listing once per fallback period
 * and says so through {@link #problem()}.
 */
public final class Reflector<T> implements Runnable {
  /**
   * How the mirror takes events and lists, and the key ("namespace/name") of an object. A LIST is
   * put item by item as it streams in, then {@code retain} drops what it did not name.
   */
  public record Sink<T>(Consumer<T> put, Consumer<T> remove, Retain retain,
      java.util.function.Function<T, String> key) {}

  /** Drops the objects of a namespace (null: all) not in {@code listed}, except {@code newer} ones. */
  public interface Retain {
    void apply(String namespace, java.util.Set<String> listed,
        java.util.function.Predicate<String> newer);
  }

  private static final int WATCH_TIMEOUT_SECONDS = 300;
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);

  private final KubeApi api;
  private final ApiClient watchClient;
  private final String path;
  private final String selector;
  private final String namespace;
  private final Decode.Kind<T> kind;
  private final Sink<T> sink;
  private final Duration resyncPeriod;
  private final Duration fallbackPeriod;
  /** Never longer than the fallback period: a failing watch must not starve the mirror. */
  private final Duration maxBackoff;
  private volatile boolean stopped;
  private volatile boolean synced;
  private volatile String problem;
  private volatile Explain.Cause cause;
  private volatile Call current;
  private volatile Thread thread;
  /** While a resync LIST runs: the keys the watch has delivered since it began. */
  private volatile java.util.Set<String> touched;
  /** A watch event's mark-and-apply and a resync's check-and-apply never interleave. */
  private final Object applying = new Object();
  /** Counts the LISTs the watch thread makes, so a resync never lands on top of a newer one. */
  private volatile long relists;
  private String lastLogged; // one log line per distinct problem, not one per retry

  public Reflector(KubeApi api, ApiClient watchClient, String path, String selector,
      String namespace, Decode.Kind<T> kind, Sink<T> sink, Duration resyncPeriod,
      Duration fallbackPeriod) {
    this.api = api;
    this.watchClient = watchClient;
    this.path = path;
    this.selector = selector;
    this.namespace = namespace;
    this.kind = kind;
    this.sink = sink;
    this.resyncPeriod = resyncPeriod;
    this.fallbackPeriod = fallbackPeriod;
    Duration cap = fallbackPeriod.compareTo(Duration.ofSeconds(30)) < 0 ? fallbackPeriod
        : Duration.ofSeconds(30);
    this.maxBackoff = cap.compareTo(MIN_BACKOFF) < 0 ? MIN_BACKOFF : cap;
  }

  private volatile Runnable onReadiness = () -> {};

  /**
   * Called when this reflector's first LIST has been applied, and when a LIST fails with a
   * cause: a tick skipped while the mirror was not yet complete must run then, not a whole tick
   * period later (an empty LIST puts nothing, so nothing else would wake the loop).
   */
  public Reflector<T> onReadiness(Runnable r) {
    this.onReadiness = r;
    return this;
  }

  /** True once the first LIST has been applied. */
  public boolean synced() {
    return synced;
  }

  /** Null while lists and watches work; else what is wrong, for logs and /readyz. */
  public String problem() {
    return problem;
  }

  /** The kind of the current problem, for a metric; null while lists and watches work. */
  public Explain.Cause cause() {
    return problem == null ? null : cause == null ? Explain.Cause.OTHER : cause;
  }

  public void stop() {
    stopped = true;
    Call c = current;
    if (c != null) {
      c.cancel();
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
    Thread r = resyncThread;
    if (r != null) {
      r.interrupt();
    }
  }

  private volatile Thread resyncThread;

  @Override
  public void run() {
    thread = Thread.currentThread();
    Thread r = new Thread(this::resyncLoop, "resync");
    r.setDaemon(true);
    resyncThread = r;
    r.start();
    String rv = null;
    Duration backoff = MIN_BACKOFF;
    boolean watchUnsupported = false;
    while (!stopped) {
      try {
        if (rv == null || watchUnsupported) {
          rv = list();
        }
        if (watchUnsupported) {
          pause(fallbackPeriod);
          watchUnsupported = false; // try the watch again now and then: the server may have changed
          continue;
        }
        WatchEnd end = watch(rv, WATCH_TIMEOUT_SECONDS);
        rv = end.resourceVersion();
        if (end.healthy()) {
          backoff = MIN_BACKOFF;
          clearProblem();
          continue;
        }
        if (end.unsupported()) {
          watchUnsupported = true;
          report("watch of " + kind.name() + " refused (" + end.why() + "): re-listing every "
              + fallbackPeriod.toMillis() + "ms instead");
          continue;
        }
        report("watch of " + kind.name() + " broke: " + end.why());
      } catch (ApiException e) {
        Explain.Explanation why = Explain.of(e, "list", kind.name(), api.client().getBasePath());
        cause = why.cause();
        report(why.message());
        onReadiness.run(); // a pod list that fails for good no longer holds ticks back
      } catch (RuntimeException e) {
        report("mirror of " + kind.name() + " failed: " + e);
        rv = null;
      }
      if (stopped) {
        return;
      }
      pause(backoff);
      backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff
          : backoff.multipliedBy(2);
    }
  }

  private String list() throws ApiException {
    relists++;
    java.util.Set<String> listed = new java.util.HashSet<>();
    String rv = api.listInto(path, selector, kind, item -> {
      listed.add(sink.key().apply(item));
      sink.put().accept(item);
    }, bad -> Log.warn("skipped an object the operator cannot read", "error", bad));
    sink.retain().apply(namespace, listed, k -> false);
    synced = true;
    onReadiness.run();
    Log.debug("listed", "kind", kind.name(), "namespace", namespace == null ? "all" : namespace,
        "items", listed.size());
    return rv;
  }

  /**
   * How a watch ended: {@code healthy} when it ran its course (or was cut after delivering
   * events), so the next one may resume at once; {@code resourceVersion} null when a LIST must
   * come first.
   */
  private record WatchEnd(String resourceVersion, boolean healthy, boolean unsupported,
      String why) {}

  private WatchEnd watch(String rv, int timeoutSeconds) {
    long start = System.nanoTime();
    boolean delivered = false;
    try {
      Call call = api.watchCall(watchClient, path, selector, rv, timeoutSeconds);
      current = call;
      try (Response r = call.execute()) {
        if (!r.isSuccessful()) {
          int code = r.code();
          if (code == 410) {
            return new WatchEnd(null, false, false, "HTTP 410 Gone");
          }
          // A server (or proxy) that lists but refuses watch=true.
          boolean unsupported = code == 400 || code == 404 || code == 405 || code == 501;
          String body = r.body() == null ? "" : r.body().string();
          String why = code == 401 || code == 403
              ? Explain.of(new ApiException(code, "HTTP " + code + ": " + body), "watch", kind.name(),
                  api.client().getBasePath()).message()
              : "HTTP " + code;
          return new WatchEnd(rv, false, unsupported, why);
        }
        BufferedSource src = r.body().source();
        String line;
        while (!stopped && (line = src.readUtf8Line()) != null) {
          if (line.isBlank()) {
            continue;
          }
          Decode.Event<T> ev;
          try {
            ev = Decode.event(line, kind);
          } catch (IOException e) {
            // The object is skipped; a LIST brings back whatever the stream can no longer vouch for.
            return new WatchEnd(null, false, false, e.getMessage());
          }
          switch (ev.type()) {
            case "ERROR" -> {
              return new WatchEnd(null, delivered, false,
                  "ERROR event " + ev.errorCode() + ": " + ev.errorMessage());
            }
            case "DELETED" -> {
              synchronized (applying) {
                mark(ev.object());
                sink.remove().accept(ev.object());
              }
            }
            case "BOOKMARK" -> { }
            default -> {
              synchronized (applying) {
                mark(ev.object());
                sink.put().accept(ev.object());
              }
            }
          }
          rv = ev.resourceVersion() != null ? ev.resourceVersion() : rv;
          delivered = true;
        }
      }
    } catch (IOException | ApiException e) {
      if (stopped) {
        return new WatchEnd(rv, true, false, "stopped");
      }
      return new WatchEnd(rv, delivered, false, ApiCalls.text(e));
    }
    // Ended by the server: fine if it lasted (or ran to the timeout asked for); a stream that
    // ends at once, empty, must not spin.
    long ran = System.nanoTime() - start;
    boolean lasted = ran > Math.min(Duration.ofSeconds(5).toNanos(), timeoutSeconds * 800_000_000L);
    return new WatchEnd(rv, delivered || lasted, false, "the stream ended at once, empty");
  }

  private void mark(T object) {
    java.util.Set<String> t = touched;
    if (t != null) {
      t.add(sink.key().apply(object));
    }
  }

  /**
   * The safety net: every resync period, LIST again while the watch keeps running, and correct
   * whatever the watch missed. Keys the watch delivered meanwhile are newer than the list and
   * stay; the pages use only spare request budget, so work never waits for a resync.
   */
  /** Objects a resync applies between pauses. */
  private static final int YIELD_EVERY = 500;

  /**
   * Pauses as long as the resync worked since {@code since}, at most 50 ms: a resync is a safety
   * net, so it takes at most half of a core and ticks reacting to changes never wait behind it.
   * Returns when the next slice begins.
   */
  private long yieldAsLongAs(long since) {
    long worked = System.nanoTime() - since;
    try {
      Thread.sleep(Math.min(50, Math.max(1, worked / 1_000_000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return System.nanoTime();
  }

  private void resyncLoop() {
    while (!stopped) {
      pause(resyncPeriod);
      if (stopped || !synced) {
        continue;
      }
      long before = relists;
      java.util.Set<String> t = java.util.concurrent.ConcurrentHashMap.newKeySet();
      touched = t;
      try {
        java.util.Set<String> listed = new java.util.HashSet<>();
        long[] slice = {System.nanoTime()};
        api.listInto(path, selector, kind, item -> {
          String k = sink.key().apply(item);
          listed.add(k);
          if (listed.size() % YIELD_EVERY == 0) {
            slice[0] = yieldAsLongAs(slice[0]);
          }
          // The watch delivered this key since the resync began: its copy is newer than the list's.
          // Once the watch thread listed again, this older list must not land at all.
          synchronized (applying) {
            if (!t.contains(k) && relists == before) {
              sink.put().accept(item);
            }
          }
        }, bad -> Log.warn("skipped an object the operator cannot read", "error", bad), true);
        if (relists == before) {
          sink.retain().apply(namespace, listed, t::contains);
          Log.debug("resynced", "kind", kind.name(), "namespace", namespace == null ? "all" : namespace,
              "items", listed.size(), "keptFromWatch", t.size());
        }
      } catch (ApiException | RuntimeException e) {
        Log.warn("resync failed, trying again next period", "kind", kind.name(),
            "error", ApiCalls.text(e));
      } finally {
        touched = null;
      }
    }
  }

  private void report(String what) {
    problem = what;
    if (!what.equals(lastLogged)) {
      Log.warn("mirror: " + what + "; retrying with backoff");
      lastLogged = what;
    } else {
      Log.debug("mirror: " + what);
    }
  }

  private void clearProblem() {
    cause = null;
    if (problem != null) {
      Log.info("mirror recovered", "kind", kind.name());
    }
    problem = null;
    lastLogged = null;
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      if (!stopped) {
        Thread.currentThread().interrupt();
      }
      stopped = true;
    }
  }
}
