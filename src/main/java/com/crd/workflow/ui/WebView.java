package com.crd.workflow.ui;

import com.crd.workflow.Log;
import com.crd.workflow.core.Workflow;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read-only web view under {@code /ui/}: a list of workflows and a page per workflow, both
 * drawn from the operator's last observation (the supplier), never from an API call of their own,
 * so a page view costs the cluster nothing. Only GET and HEAD are served. Pages refresh
 * themselves with a light poll ({@code app.js}) that gets an HTTP 304 while nothing changed.
 *
 * <pre>
 * /ui/                         list: ?ns=NAMESPACE&amp;status=PHASE&amp;page=N
 * /ui/wf/NAMESPACE/NAME        one workflow: DAG, status, steps
 * /ui/app.js, /ui/style.css    the page's own script and style (no CDN)
 * </pre>
 */
public final class WebView implements HttpHandler {
  public static final String PREFIX = "/ui/";
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";

  private final Pages pages;
  private final byte[] script = resource("app.js");
  private final byte[] style = resource("style.css");

  /**
   * @param workflows the Workflows as last observed, each with its status
   * @param attempts attempts of a Job ({@code namespace/name}) as last observed, or null if unknown
   */
  public WebView(Supplier<Collection<Workflow>> workflows, Function<String, Integer> attempts,
      Clock clock) {
    this.pages = new Pages(workflows, attempts, clock);
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebView.class.getResourceAsStream("/ui/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource ui/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "read-only: GET only\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      URI uri = ex.getRequestURI();
      String path = uri.getRawPath();
      Map<String, String> query = query(uri.getRawQuery());
      boolean fragment = "1".equals(ex.getRequestHeaders().getFirst("X-Fragment"));
      Pages.Page page;
      if (path.equals("/ui")) {
        ex.getResponseHeaders().set("Location", PREFIX);
        send(ex, 302, "text/plain; charset=utf-8", new byte[0]);
        return;
      }
      if (path.equals(PREFIX) || path.equals(PREFIX + "index.html")) {
        page = pages.list(query.get("ns"), query.get("status"), query.get("page"));
      } else if (!path.startsWith(PREFIX)) {
        page = pages.notFound("no such page: " + decode(path));
      } else if (path.startsWith(PREFIX + "wf/")) {
        String[] parts = path.substring((PREFIX + "wf/").length()).split("/", -1);
        page = parts.length == 2 ? pages.workflow(decode(parts[0]), decode(parts[1]))
            : pages.notFound("no such page: " + decode(path));
      } else if (path.equals(PREFIX + "app.js")) {
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, "text/javascript; charset=utf-8", script);
        return;
      } else if (path.equals(PREFIX + "style.css")) {
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, "text/css; charset=utf-8", style);
        return;
      } else {
        page = pages.notFound("no such page: " + decode(path));
      }
      String body = fragment ? page.content() : page.document();
      String etag = "\"" + Integer.toHexString(page.content().hashCode()) + (fragment ? "f" : "d") + "\"";
      ex.getResponseHeaders().set("ETag", etag);
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      if (page.code() == 200 && etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        ex.sendResponseHeaders(304, -1);
        return;
      }
      send(ex, page.code(), "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      // A page must never show a stack trace; the log keeps the detail.
      Log.error("web view failed", "path", ex.getRequestURI().getRawPath(), "error", String.valueOf(e));
      try {
        send(ex, 500, "text/plain; charset=utf-8",
            "internal error; see the operator's log\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // headers already sent: nothing more to say
      }
    }
  }

  private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Content-Security-Policy", CSP);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null) {
      return q;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      try {
        q.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ignored) {
        // a malformed escape: ignore that parameter
      }
    }
    return q;
  }
}
