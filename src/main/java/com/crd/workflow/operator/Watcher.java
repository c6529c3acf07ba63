package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Duration;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Watches one collection and wakes the loop on every event. It never interprets events: the next
 * list is the truth. A dropped stream, an error or 410 Gone just means watch again, with backoff.
 */
public final class Watcher implements Runnable {
  private static final int TIMEOUT_SECONDS = 300;
  private final KubeApi api;
  private final ApiClient watchClient;
  private final String path;
  private final String selector;
  private final Runnable wake;
  private volatile boolean stopped;
  private volatile Call current;

  public Watcher(KubeApi api, ApiClient watchClient, String path, String selector, Runnable wake) {
    this.api = api;
    this.watchClient = watchClient;
    this.path = path;
    this.selector = selector;
    this.wake = wake;
  }

  public void stop() {
    stopped = true;
    Call c = current;
    if (c != null) {
      c.cancel();
    }
  }

  @Override
  public void run() {
    String rv = null;
    Duration backoff = Duration.ofMillis(500);
    while (!stopped) {
      boolean gotEvent = false;
      try {
        Call call = api.watchCall(watchClient, path, selector, rv, TIMEOUT_SECONDS);
        current = call;
        try (Response r = call.execute()) {
          if (!r.isSuccessful()) {
            if (r.code() == 410) {
              rv = null;
            }
            throw new java.io.IOException("watch answered HTTP " + r.code());
          }
          BufferedSource src = r.body().source();
          String line;
          while (!stopped && (line = src.readUtf8Line()) != null) {
            if (line.isBlank()) {
              continue;
            }
            JsonObject ev = JsonParser.parseString(line).getAsJsonObject();
            String type = Json.str(ev, "type");
            if ("ERROR".equals(type)) {
              rv = null; // 410 Gone and friends: start over from now
              break;
            }
            String next = Json.str(ev, "object", "metadata", "resourceVersion");
            rv = next != null ? next : rv;
            gotEvent = true;
            backoff = Duration.ofMillis(500);
            if (!"BOOKMARK".equals(type)) {
              wake.run();
            }
          }
        }
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        Log.debug("watch interrupted, re-watching", "path", path, "error", String.valueOf(e));
      }
      if (stopped) {
        return;
      }
      wake.run(); // events may have been missed while disconnected
      if (!gotEvent) {
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
            ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
      }
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }
}
