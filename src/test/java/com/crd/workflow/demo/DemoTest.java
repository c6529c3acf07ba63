package com.crd.workflow.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo as `make demo` runs it: real operator, simulated cluster, printed outcome. */
@DisplayName("the demo")
class DemoTest {
  private record Run(int code, String out) {}

  private static Run demo(Demo demo, List<Path> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = demo.run(files, out);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  private static Path workflow(Path dir, String name, String expected, long timeout, String script)
      throws Exception {
    return Files.writeString(dir.resolve(name + ".yaml"), """
        apiVersion: workflow.crd.com/v1
        kind: Workflow
        metadata:
          name: %s
          annotations:
            workflow.crd.com/expected-status: %s
        spec:
          maxStepTimeout: %d
          containers:
            - stepName: only
              image: busybox:1.36
              command: ["sh", "-c", "%s"]
        """.formatted(name, expected, timeout, script));
  }

  @Test
  @Timeout(60)
  @DisplayName("runs every example to its expected status, says the cluster is simulated, and exits 0")
  void runsEveryExample() throws Exception {
    List<Path> files = Demo.defaultExamples(Path.of("examples"));
    List<Demo.Example> examples = new ArrayList<>();
    for (Path f : files) {
      assertNull(Demo.read(f, examples), f.toString());
    }
    assertTrue(examples.size() >= 4, "examples: " + files);

    Run r = demo(new Demo(), files);

    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("the cluster is SIMULATED"), r.out());
    assertTrue(r.out().contains("no Docker, no real pods"), r.out());
    for (Demo.Example e : examples) {
      assertTrue(e.expected() != null, e.file() + " has no expected-status annotation");
      Pattern row = Pattern.compile("(?m)^\\s+" + Pattern.quote(e.name()) + "\\s+"
          + e.expected() + "\\s.*\\s" + e.expected() + "\\s+OK$");
      assertTrue(row.matcher(r.out()).find(), e.name() + " should end " + e.expected() + ":\n" + r.out());
    }
    assertTrue(r.out().contains("step test failed: exit code 1"), r.out());
    assertTrue(r.out().contains("step slow timed out after 5s"), r.out());
    // Downstream of a failed step never starts: its only state change is to Skipped.
    for (String step : List.of("failing/deploy", "timeout/report")) {
      assertTrue(Pattern.compile("(?m)^\\s+" + step + "\\s+Waiting -> Skipped \\(not run: the workflow failed\\)$")
          .matcher(r.out()).find(), r.out());
      assertFalse(Pattern.compile("(?m)^\\s+" + step + "\\s+\\S+ -> Running").matcher(r.out()).find(), r.out());
    }
    // Progress is shown as it happens, not only in the summary.
    assertTrue(Pattern.compile("(?m)^\\s+diamond/b\\s+Waiting -> Running$").matcher(r.out()).find(),
        r.out());
    assertTrue(r.out().contains("OK: all " + examples.size() + " workflows reached their expected status."),
        r.out());
    assertFalse(r.out().contains("\u001b"), "plain text for CI logs, no terminal codes");
    // Each workflow's DAG, as plan prints it, before it runs.
    assertTrue(r.out().contains("""
            workflow diamond: 4 steps, maxStepTimeout 60s
              wave 1: a
              wave 2: b, c
              wave 3: d
        """), r.out());
    assertTrue(r.out().indexOf("wave 3: d") < r.out().indexOf("diamond/a"), "the DAG comes before the run");
    assertTrue(Pattern.compile("(?m)^web view: +http://127\\.0\\.0\\.1:\\d+/ui/ ").matcher(r.out()).find(), r.out());
  }

  @Test
  @Timeout(60)
  @DisplayName("KEEP: after the summary the cluster stays up and the printed web view shows the finished workflow")
  void keepsTheClusterUp(@TempDir Path dir) throws Exception {
    Path file = workflow(dir, "quick", "Completed", 30, "sleep 1");
    Demo demo = new Demo(Duration.ofSeconds(30), Duration.ofSeconds(6), false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    java.util.concurrent.CompletableFuture<Integer> code =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> demo.run(List.of(file), out));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(40))
        .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("stays up for 6s"));
    java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(demo.uiUrl() + "wf/demo/quick")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<tr data-step=\"only\" data-state=\"Succeeded\">"), page.body());
    assertFalse(code.isDone(), "still up");
    assertEquals(0, code.get(30, java.util.concurrent.TimeUnit.SECONDS));
  }

  @Test
  @Timeout(30)
  @DisplayName("on a terminal the states are coloured")
  void colourOnTerminal(@TempDir Path dir) throws Exception {
    Path file = workflow(dir, "tinted", "Completed", 30, "true");
    Run r = demo(new Demo(Duration.ofSeconds(20), Duration.ZERO, true), List.of(file));
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("\u001b[32mSucceeded\u001b[0m"), r.out());
  }

  @Test
  @Timeout(30)
  @DisplayName("exits 1 and marks the row MISMATCH when a workflow ends in another status than expected")
  void mismatchExitsOne(@TempDir Path dir) throws Exception {
    Path file = workflow(dir, "optimist", "Completed", 30, "sleep 1; exit 3");

    Run r = demo(new Demo(), List.of(file));

    assertEquals(1, r.code(), r.out());
    assertTrue(Pattern.compile("(?m)^\\s+optimist\\s+Failed\\s+0/1\\s+step only failed:"
        + " exit code 3\\s+Completed\\s+MISMATCH$").matcher(r.out()).find(), r.out());
    assertTrue(r.out().contains("MISMATCH: 1 of 1 workflows did not reach their expected status."),
        r.out());
  }

  @Test
  @Timeout(30)
  @DisplayName("gives up with a clear message and exits 1 when a workflow outlasts the deadline")
  void deadlineExitsOne(@TempDir Path dir) throws Exception {
    Path file = workflow(dir, "forever", "Completed", -1, "sleep 600");

    Run r = demo(new Demo(Duration.ofSeconds(2)), List.of(file));

    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("demo: gave up after 2s; still not finished: forever (Started 0/1)"),
        r.out());
  }

  @Test
  @DisplayName("refuses a missing file or a bad annotation before starting anything")
  void badInputExitsOne(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.yaml");
    Run r = demo(new Demo(), List.of(missing));
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("demo: " + missing + ": no such file"), r.out());
    assertFalse(r.out().contains("API server:"), "no server for bad input:\n" + r.out());

    Path odd = workflow(dir, "odd", "Succeeded", 30, "true");
    Run r2 = demo(new Demo(), List.of(odd));
    assertEquals(1, r2.code(), r2.out());
    assertTrue(r2.out().contains("annotation workflow.crd.com/expected-status must be Completed or"
        + " Failed, got Succeeded"), r2.out());
  }
}
