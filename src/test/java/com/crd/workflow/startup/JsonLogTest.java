package com.crd.workflow.startup;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code --log-format=json} under failure: every line the process prints, its libraries'
 * included, must be one JSON object, and an exception one field of it.
 *
 * <p>Each case is its own process in its own folder, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class JsonLogTest {
  @TempDir Path home;

  private static List<JsonObject> parseEveryLine(MainProcess.Result r) {
    assertEquals("", r.stdout(), "nothing goes to stdout");
    List<JsonObject> lines = new ArrayList<>();
    List<String> raw = r.stderr().lines().toList();
    assertFalse(raw.isEmpty(), "no output at all");
    for (String line : raw) {
      try {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertTrue(o.has("time") && o.has("level") && o.has("msg"), line);
        lines.add(o);
      } catch (RuntimeException e) {
        fail("not a JSON object: " + line + "\n--- whole output:\n" + r.stderr());
      }
    }
    return lines;
  }

  private static Path kubeconfig(Path dir, String server) throws Exception {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "%s"}}]
        contexts: [{name: ctx, context: {cluster: c, user: u}}]
        current-context: ctx
        users: [{name: u, user: {token: t}}]
        """.formatted(server));
  }

  @Test
  @DisplayName("an unreachable server: every line parses as JSON, errors are one field")
  void unreachable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path cfg = kubeconfig(home, "http://127.0.0.1:" + closed);
    // Seen once, then 3 s in which the same refusal comes back about 8 times.
    MainProcess.Result r = MainProcess.runUntil(home,
        err -> err.contains("leader election cannot proceed"), Duration.ofSeconds(3), Map.of(),
        "run", "--kubeconfig", cfg.toString(), "--log-format=json", "--metrics-port=0",
        "--tick-period=500ms", "--lease-duration=3s");
    List<JsonObject> lines = parseEveryLine(r);
    assertTrue(lines.stream().anyMatch(o -> o.get("msg").getAsString().equals("using API server")));
    assertTrue(lines.stream().anyMatch(o -> o.get("level").getAsString().equals("warn")),
        "the failing lease calls are reported: " + r.stderr());
    // Once per distinct cause: the same refusal every 375 ms is not a new line each time.
    assertEquals(1, lines.stream().filter(o -> o.get("msg").getAsString().equals("leader election cannot proceed"))
        .count(), r.stderr());
  }

  @Test
  @DisplayName("an unreachable server, no leader election: ticks and watches fail, still only JSON")
  void unreachableTicking() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path cfg = kubeconfig(home, "http://127.0.0.1:" + closed);
    MainProcess.Result r = MainProcess.runUntil(home,
        err -> err.contains("\"level\":\"warn\"") || err.contains("\"level\":\"error\""),
        Duration.ofSeconds(2), Map.of(),
        "run", "--kubeconfig", cfg.toString(), "--log-format=json", "--metrics-port=0",
        "--tick-period=500ms", "--leader-elect=false");
    List<JsonObject> lines = parseEveryLine(r);
    assertTrue(lines.stream().anyMatch(o -> o.get("level").getAsString().equals("error")
        || o.get("level").getAsString().equals("warn")), r.stderr());
  }

  @Test
  @DisplayName("a flapping server: up 700 ms, down 500 ms, over and over; every line parses as JSON")
  void flapping() throws Exception {
    try (FakeApiServer server = new FakeApiServer().start();
        FlappingProxy proxy = new FlappingProxy(Integer.parseInt(server.url().replaceAll(".*:", "")), 700, 500)) {
      Path cfg = kubeconfig(home, "http://127.0.0.1:" + proxy.port());
      // It leads while the server is up, then goes on through 3 s more of flapping.
      MainProcess.Result r = MainProcess.runUntil(home, err -> err.contains("became leader"),
          Duration.ofSeconds(3), Map.of(),
          "run", "--kubeconfig", cfg.toString(), "--log-format=json", "--metrics-port=0",
          "--tick-period=500ms", "--lease-duration=3s", "--lease-namespace=default");
      List<JsonObject> lines = parseEveryLine(r);
      assertTrue(lines.stream().anyMatch(o -> o.get("msg").getAsString().equals("became leader")),
          "it led while the server was up:\n" + r.stderr());
    }
  }
}
