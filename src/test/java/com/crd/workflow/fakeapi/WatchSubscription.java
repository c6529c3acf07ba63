package com.crd.workflow.fakeapi;

import com.google.gson.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One open watch. The store pushes every change of the resource here (under its lock, so the
 * order matches resourceVersion order); the HTTP thread turns them into lines for the client.
 */
final class WatchSubscription {
  /** Why a watch ended before its timeout. */
  enum End { DROPPED, CLOSED }

  private static final Object WAKE = new Object();

  private final ResourceType type;
  private final String namespace;
  private final Predicate<JsonObject> filter;
  private final long afterResourceVersion;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile End end;

  /** @param afterResourceVersion only changes newer than this are sent (a client may ask for a future one) */
  WatchSubscription(ResourceType type, String namespace, Predicate<JsonObject> filter, long afterResourceVersion) {
    this.type = type;
    this.namespace = namespace;
    this.filter = filter;
    this.afterResourceVersion = afterResourceVersion;
  }

  /** Called by the store; drops events for other resources or namespaces. */
  void offer(WatchEvent event) {
    if (event.resource() == type && inNamespace(event.object())
        && event.resourceVersion() > afterResourceVersion) {
      queue.offer(event);
    }
  }

  void offerLine(String line) {
    queue.offer(line);
  }

  /**
   * Returns the next line to send, or null when {@code wakeAtNanos} passes first or the watch was
   * ended ({@link #end()} tells which).
   */
  String next(long wakeAtNanos) throws InterruptedException {
    while (true) {
      if (end != null) {
        return null;
      }
      long wait = wakeAtNanos - System.nanoTime();
      if (wait <= 0) {
        return null;
      }
      Object item = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (item instanceof String line) {
        return line;
      }
      if (item instanceof WatchEvent event) {
        String line = translate(event);
        if (line != null) {
          return line;
        }
      }
    }
  }

  ResourceType type() {
    return type;
  }

  /** null while the watch is open */
  End end() {
    return end;
  }

  void drop() {
    finish(End.DROPPED);
  }

  void close() {
    finish(End.CLOSED);
  }

  private void finish(End why) {
    if (end == null) {
      end = why;
    }
    queue.offer(WAKE);
  }

  private boolean inNamespace(JsonObject object) {
    return namespace == null || namespace.equals(Json.namespace(object));
  }

  /** The watch cache's rule: a label-filtered watch sees objects enter and leave its set. */
  private String translate(WatchEvent e) {
    boolean now = filter.test(e.object());
    if (!e.type().equals("MODIFIED")) {
      return now ? e.toLine() : null;
    }
    boolean before = e.previous() != null && filter.test(e.previous());
    if (now && before) {
      return e.toLine();
    }
    if (now) {
      return WatchEvent.toLine("ADDED", e.object());
    }
    if (before) {
      return WatchEvent.toLine("DELETED", e.object());
    }
    return null;
  }
}
