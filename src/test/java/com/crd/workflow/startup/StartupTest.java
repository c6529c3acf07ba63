package com.crd.workflow.startup;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Each start-up case a new user meets, run through the real entry point in its own JVM: the
 * message, the exit code, nothing else.
 *
 * <p>Each case is its own process in its own folder, so they run at once.
 */
@Execution(ExecutionMode.CONCURRENT)
class StartupTest {
  private static final Duration QUICK = Duration.ofSeconds(60); // these all exit on their own
  @TempDir Path home;

  private MainProcess.Result run(String... args) throws Exception {
    return MainProcess.run(home, QUICK, Map.of(), args);
  }

  private static void assertUsageError(MainProcess.Result r, String message) {
    assertEquals(2, r.exitCode(), r.stderr());
    List<String> lines = r.stderrLines();
    assertEquals("workflow-operator: " + message, lines.get(0), r.stderr());
    assertTrue(lines.get(1).startsWith("Usage: workflow-operator"), r.stderr());
  }

  @Test
  @DisplayName("no arguments: the usage on stderr, exit 2")
  void noArguments() throws Exception {
    MainProcess.Result r = run();
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().startsWith("Usage: workflow-operator"), r.stderr());
    assertEquals("", r.stdout());
  }

  /** Several short runs at once: each is a JVM start, and they do not depend on each other. */
  private List<MainProcess.Result> runAll(List<String[]> argLists) throws Exception {
    List<java.util.concurrent.CompletableFuture<MainProcess.Result>> runs = argLists.stream()
        .map(args -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return run(args);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        })).toList();
    List<MainProcess.Result> out = new java.util.ArrayList<>();
    for (var r : runs) {
      out.add(r.get());
    }
    return out;
  }

  @Test
  @DisplayName("help, --help, version and --version answer on stdout with exit 0")
  void helpAndVersion() throws Exception {
    List<String> args = List.of("help", "--help", "version", "--version");
    List<MainProcess.Result> results = runAll(args.stream().map(a -> new String[] {a}).toList());
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      MainProcess.Result r = results.get(i);
      assertEquals(0, r.exitCode(), a);
      if (a.contains("help")) {
        assertTrue(r.stdout().startsWith("Usage: workflow-operator"), a + ": " + r.stdout());
        assertTrue(r.stdout().contains("--kubeconfig"), a);
      } else {
        assertTrue(r.stdout().strip().matches("workflow-operator \\S+"), a + ": " + r.stdout());
      }
    }
  }

  @Test
  @DisplayName("run without any cluster configuration: one line naming the three ways, exit 2")
  void noKubeconfig() throws Exception {
    MainProcess.Result r = run("run", "--metrics-port", "-1");
    assertEquals(2, r.exitCode(), r.stderr());
    assertEquals(1, r.stderrLines().size(), r.stderr());
    assertTrue(r.stderr().strip().endsWith(
        "ERROR no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or run in a cluster"), r.stderr());
  }

  @Test
  @DisplayName("a kubeconfig that does not exist: one line naming it, exit 2")
  void missingKubeconfig() throws Exception {
    Path missing = home.resolve("nowhere.yaml");
    MainProcess.Result r = MainProcess.run(home, QUICK, Map.of("KUBECONFIG", missing.toString()),
        "run", "--metrics-port", "-1");
    assertEquals(2, r.exitCode(), r.stderr());
    assertEquals(1, r.stderrLines().size(), r.stderr());
    assertTrue(r.stderr().strip().endsWith("ERROR kubeconfig " + missing + ": no such file"), r.stderr());
  }

  @Test
  @DisplayName("a malformed kubeconfig: one line naming the file and the line, exit 2")
  void malformedKubeconfig() throws Exception {
    Path bad = Files.writeString(home.resolve("bad.yaml"), """
        apiVersion: v1
        kind: Config
        clusters:
          - name: c
            cluster: {server: "https://x
        """);
    MainProcess.Result r = run("run", "--kubeconfig", bad.toString(), "--metrics-port", "-1");
    assertEquals(2, r.exitCode(), r.stderr());
    assertEquals(1, r.stderrLines().size(), r.stderr());
    assertTrue(r.stderr().contains("ERROR kubeconfig " + bad + ": line "), r.stderr());
  }

  @Test
  @DisplayName("a kubeconfig without a current context: one line saying so, exit 2")
  void noCurrentContext() throws Exception {
    Path cfg = Files.writeString(home.resolve("nocontext.yaml"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        users: [{name: u, user: {token: t}}]
        """);
    MainProcess.Result r = run("run", "--kubeconfig", cfg.toString(), "--metrics-port", "-1");
    assertEquals(2, r.exitCode(), r.stderr());
    assertTrue(r.stderr().strip().endsWith("ERROR kubeconfig " + cfg
        + ": no current-context set (kubectl config use-context NAME)"), r.stderr());
  }

  @Test
  @DisplayName("bad flag values: one line, the usage, exit 2")
  void badValues() throws Exception {
    List<MainProcess.Result> r = runAll(List.of(new String[] {"run", "--metrics-port=99999"},
        new String[] {"run", "--tick-period=3"}, new String[] {"run", "--tick-period=1ms"},
        new String[] {"--lease-duration", "1s"}, new String[] {"launch"}));
    assertUsageError(r.get(0), "--metrics-port: not a port (0 to 65535, or -1 for off): 99999");
    assertUsageError(r.get(1), "--tick-period: not a duration: 3 has no unit (use e.g. 10s, 500ms, 2m or 1h)");
    assertUsageError(r.get(2), "--tick-period: at least 100ms, got 1ms");
    assertUsageError(r.get(3), "--lease-duration must be at least 2s, got 1s");
    assertUsageError(r.get(4), "unknown command: launch");
  }

  @Test
  @DisplayName("at start the log names the API server, the context and the kubeconfig in use")
  void namesTheServer() throws Exception {
    try (FakeApiServer server = new FakeApiServer().start()) {
      Path cfg = server.writeKubeconfig(home.resolve("kubeconfig"));
      MainProcess.Result r = MainProcess.runUntil(home, err -> err.contains("operator started"),
          Duration.ZERO, Map.of("KUBECONFIG", cfg.toString()),
          "run", "--metrics-port", "-1", "--leader-elect=false");
      String first = r.stderrLines().get(0);
      assertTrue(first.contains("INFO using API server server=" + server.url() + " context="), r.stderr());
      assertTrue(first.endsWith("config=" + cfg), r.stderr());
      assertTrue(r.stderr().contains("INFO operator stopped"), r.stderr()); // SIGTERM: a clean stop
    }
  }
}
