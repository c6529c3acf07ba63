package com.crd.workflow.ui;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: open
 * a page, evaluate JavaScript in it, take a screenshot. The page keeps running between calls, so
 * a test sees what a person watching it would see, including the page's own updates.
 */
final class Chromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

  /** The browser binary on PATH, if any (Debian: chromium). */
  static Optional<String> binary() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Optional.of(Path.of(dir, name).toString());
        }
      }
    }
    return Optional.empty();
  }

  Chromium(String binary, Path profile, int width, int height) throws Exception {
    process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--remote-debugging-port=0",
        "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String browserUrl = null;
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (browserUrl == null && System.nanoTime() < deadline && (line = err.readLine()) != null) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        browserUrl = m.group(1);
      }
    }
    if (browserUrl == null) {
      process.destroyForcibly();
      throw new IOException("chromium did not start its DevTools endpoint");
    }
    Thread drain = new Thread(() -> {
      try {
        while (err.readLine() != null) {
          // keep the pipe empty so the browser never blocks on its log
        }
      } catch (IOException ignored) {
        // browser gone
      }
    }, "chromium-stderr");
    drain.setDaemon(true);
    drain.start();
    URI base = URI.create(browserUrl.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", ""));
    HttpClient http = HttpClient.newHttpClient();
    String pageUrl = null;
    for (JsonElement t : JsonParser.parseString(http.send(HttpRequest.newBuilder(base.resolve("/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).getAsJsonArray()) {
      if ("page".equals(t.getAsJsonObject().get("type").getAsString())) {
        pageUrl = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
        break;
      }
    }
    if (pageUrl == null) {
      close();
      throw new IOException("chromium has no page to drive");
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject msg = JsonParser.parseString(text.toString()).getAsJsonObject();
        text.setLength(0);
        if (msg.has("id")) {
          CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
          if (f != null) {
            f.complete(msg);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }

  JsonObject send(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject msg = new JsonObject();
    msg.addProperty("id", id);
    msg.addProperty("method", method);
    msg.add("params", params == null ? new JsonObject() : params);
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
    JsonObject r = reply.get(30, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IOException(method + ": " + r.get("error"));
    }
    return r.getAsJsonObject("result");
  }

  /** Opens the URL and waits until the document has loaded. */
  void open(String url) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("url", url);
    send("Page.navigate", p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!"complete".equals(eval("document.readyState").getAsString())) {
      if (System.nanoTime() > deadline) {
        throw new IOException("page did not load: " + url);
      }
      Thread.sleep(50);
    }
  }

  /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
  JsonElement eval(String expression) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("expression", expression);
    p.addProperty("returnByValue", true);
    JsonObject r = send("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IOException("script failed: " + r.get("exceptionDetails"));
    }
    JsonElement v = r.getAsJsonObject("result").get("value");
    return v == null ? com.google.gson.JsonNull.INSTANCE : v;
  }

  void screenshot(Path file) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("format", "png");
    String data = send("Page.captureScreenshot", p).get("data").getAsString();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(data));
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
