package com.crd.workflow.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Serves /metrics, /healthz (the process answers) and /readyz (the supplier says why not). */
public final class HealthServer implements AutoCloseable {
  private final HTTPServer server;

  public HealthServer(int port, Metrics metrics, Supplier<String> notReady) throws IOException {
    this(port, metrics, notReady, () -> "ready", null);
  }

  /**
   * @param notReady returns null when ready, else the reason
   * @param readyText what a ready /readyz says (it may name a degraded but working state)
   * @param ui the web view, served under /ui; null = off
   */
  public HealthServer(int port, Metrics metrics, Supplier<String> notReady,
      Supplier<String> readyText, HttpHandler ui) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(port), 16);
    // Off means 404, not the metrics that the exporter would otherwise serve on any path.
    http.createContext("/ui", ui != null ? ui : ex -> reply(ex, 404, "web view off (--ui=false)\n"));
    http.createContext("/healthz", ex -> reply(ex, 200, "ok\n"));
    http.createContext("/readyz", ex -> {
      String why = notReady.get();
      reply(ex, why == null ? 200 : 503, (why == null ? readyText.get() : why) + "\n");
    });
    server = new HTTPServer.Builder().withHttpServer(http).withRegistry(metrics.registry())
        .withDaemonThreads(true).build();
  }

  public int port() {
    return server.getPort();
  }

  private static void reply(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
