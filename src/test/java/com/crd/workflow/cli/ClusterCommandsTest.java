package com.crd.workflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.ui.RunningDiamond;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} and {@code list} against the in-process API through a kubeconfig, as a user runs
 * them. The clock is fixed five seconds after the run began, so durations are exact; Job names
 * carry a hash of the server-assigned uid, which the golden file masks.
 */
@DisplayName("get and list")
class ClusterCommandsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/get-golden");
  private static final Clock AT_5S = Clock.fixed(RunningDiamond.T0.plusSeconds(5), ZoneOffset.UTC);

  @TempDir Path dir;
  FakeApiServer server;
  Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer().start();
    server.setJobControllerEnabled(false); // the Jobs stay as the fixture left them
    env = Map.of("KUBECONFIG", server.writeKubeconfig(dir.resolve("kubeconfig")).toString());
    RunningDiamond.create(server, "demo", "diamond");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  record Run(int code, String out) {}

  Run get(boolean terminal, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = ClusterCommands.get(List.of(args), out, env::get, terminal, AT_5S);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  Run list(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = ClusterCommands.list(List.of(args), out, env::get, AT_5S);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  static String mask(String s) {
    return s.replaceAll("-[0-9a-f]{12}\\b", "-############");
  }

  void assertGolden(String name, String actual) throws Exception {
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual);
    }
    assertEquals(Files.readString(golden), actual, "regenerate with -Dgolden.update=true if intended");
  }

  @Test
  @DisplayName("get of a running diamond prints its status and a tree of its waves (golden, plain ASCII)")
  void getRunningDiamond() throws Exception {
    Run r = get(false, "-n", "demo", "diamond");
    assertEquals(0, r.code(), r.out());
    assertFalse(r.out().contains("\u001b"), "no colour codes outside a terminal");
    assertTrue(r.out().chars().allMatch(c -> c < 128), "plain ASCII outside a terminal:\n" + r.out());
    assertGolden("running-diamond.txt", mask(r.out()));
  }

  @Test
  @DisplayName("on a terminal the same tree has colours and symbols, and the same lines once they are stripped")
  void getOnTerminal() {
    String plain = get(false, "-n", "demo", "diamond").out();
    String coloured = get(true, "-n", "demo", "diamond").out();
    assertTrue(coloured.contains("\u001b[32m") && coloured.contains("\u001b[34m"), coloured);
    assertTrue(coloured.contains("\u2714") && coloured.contains("\u25cf") && coloured.contains("\u25cb"));
    String stripped = coloured.replaceAll("\u001b\\[[0-9;]*m", "");
    assertEquals(plain.lines().count(), stripped.lines().count());
    assertEquals(plain.replaceAll("[^A-Za-z0-9/:,\\n]", ""), stripped.replaceAll("[^A-Za-z0-9/:,\\n]", ""));
  }

  Run rerun(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = ClusterCommands.rerun(List.of(args), out, env::get, AT_5S);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  /** A workflow whose status says {@code phase}, as the operator would have written it. */
  void finishedWorkflow(String name, String phase) {
    server.create("workflows", "demo", com.google.gson.JsonParser.parseString("""
        {"apiVersion": "workflow.crd.com/v1", "kind": "Workflow",
         "metadata": {"name": "%s", "namespace": "demo"},
         "spec": {"containers": [{"stepName": "a", "image": "busybox"}]}}""".formatted(name))
        .getAsJsonObject());
    server.mergePatchStatus("workflows", "demo", name, """
        {"status": {"workflow-status": "%s", "specHash": "h", "observedGeneration": 1}}"""
        .formatted(phase));
  }

  @Test
  @DisplayName("rerun of a Failed workflow sets the rerun annotation to a fresh token; a second one before the operator acted is refused")
  void rerunFailed() {
    finishedWorkflow("broken", "Failed");
    Run r = rerun("-n", "demo", "broken");
    assertEquals(0, r.code(), r.out());
    String token = com.crd.workflow.kube.Json.strings(server.get("workflows", "demo", "broken"),
        "metadata", "annotations").get(com.crd.workflow.core.Names.ANNOTATION_RERUN);
    assertNotNull(token);
    assertTrue(r.out().contains("=" + token + ")"), r.out());
    Run again = rerun("-n", "demo", "broken");
    assertEquals(1, again.code());
    assertEquals(List.of("error: workflow demo/broken already has a re-run requested (" + token
        + ") that the operator has not acted on yet"), again.out().lines().toList());
  }

  @Test
  @DisplayName("rerun of a workflow that does not exist, is running or Completed exits 1 with one line saying why")
  void rerunRefused() {
    finishedWorkflow("done", "Completed");
    Run missing = rerun("-n", "demo", "nope");
    assertEquals(1, missing.code());
    assertEquals(List.of("error: workflow nope not found in namespace demo"), missing.out().lines().toList());
    Run completed = rerun("-n", "demo", "done");
    assertEquals(1, completed.code());
    assertEquals(List.of("error: workflow demo/done is Completed: nothing failed, nothing to re-run"),
        completed.out().lines().toList());
    Run running = rerun("-n", "demo", "diamond");
    assertEquals(1, running.code());
    assertEquals(List.of("error: workflow demo/diamond is Started: only a Failed workflow can be re-run"),
        running.out().lines().toList());
    assertNull(com.crd.workflow.kube.Json.strings(server.get("workflows", "demo", "done"),
        "metadata", "annotations").get(com.crd.workflow.core.Names.ANNOTATION_RERUN));
    assertEquals(2, rerun().code());
  }

  @Test
  @DisplayName("get of a workflow that does not exist exits 1 with one line")
  void getMissing() {
    Run r = get(false, "-n", "demo", "nope");
    assertEquals(1, r.code());
    assertEquals(List.of("error: workflow nope not found in namespace demo"), r.out().lines().toList());
    Run usage = get(false);
    assertEquals(2, usage.code());
  }

  @Test
  @DisplayName("get --watch redraws on each change of the workflow and exits 0 when it completes")
  void watch() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> ClusterCommands.get(
        List.of("-n", "demo", "diamond", "--watch"), out, env::get, false, AT_5S));
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("1/4"));
    RunningDiamond.advance(server, "demo", "diamond");
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("3/4"));
    assertFalse(code.isDone(), "still watching while d runs");
    RunningDiamond.complete(server, "demo", "diamond");
    assertEquals(0, code.get(20, TimeUnit.SECONDS));
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<String> statusLines = new ArrayList<>(text.lines().filter(l -> l.startsWith("Status:")).toList());
    assertEquals(List.of("Status:    Started", "Status:    Started", "Status:    Completed"), statusLines, text);
  }

  @Test
  @DisplayName("get --watch survives a dropped watch whose resourceVersion is gone (410): reads again, watches on")
  void watchReconnects() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> ClusterCommands.get(
        List.of("-n", "demo", "diamond", "--watch"), out, env::get, false, AT_5S));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.openWatches() > 0);
    server.compactWatchHistory();
    server.dropWatches();
    RunningDiamond.advance(server, "demo", "diamond");
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("3/4"));
    RunningDiamond.complete(server, "demo", "diamond");
    assertEquals(0, code.get(20, TimeUnit.SECONDS), bytes.toString(StandardCharsets.UTF_8));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Status:    Completed"));
  }

  @Test
  @DisplayName("get --watch on a terminal redraws in place: cursor up over the last picture, clear, draw")
  void watchInPlace() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> ClusterCommands.get(
        List.of("-n", "demo", "diamond", "-w"), out, env::get, true, AT_5S));
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> bytes.toString(StandardCharsets.UTF_8).contains("1/4"));
    int first = (int) bytes.toString(StandardCharsets.UTF_8).lines().count();
    RunningDiamond.complete(server, "demo", "diamond");
    assertEquals(0, code.get(20, TimeUnit.SECONDS));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("\u001b[" + first + "A\u001b[J"));
  }

  @Test
  @DisplayName("list prints what kubectl get wf does plus the duration; -A adds the namespace")
  void listWorkflows() throws Exception {
    server.create("workflows", "other", RunningDiamond.manifest("other", "fresh"));
    Run one = list("-n", "demo");
    assertEquals(0, one.code(), one.out());
    List<String> lines = one.out().lines().toList();
    assertEquals(2, lines.size(), one.out());
    assertTrue(lines.get(0).matches("NAME +STATUS +PROGRESS +AGE +DURATION +MESSAGE"), lines.get(0));
    assertTrue(lines.get(1).matches("diamond +Started +1/4 +\\S+ +5s +running: b, c"), lines.get(1));
    Run all = list("-A");
    List<String> allLines = all.out().lines().toList();
    assertEquals(3, allLines.size(), all.out());
    assertTrue(allLines.get(0).startsWith("NAMESPACE"));
    assertTrue(allLines.get(2).matches("other +fresh +Created +\\S+ +- *"), allLines.get(2));
    assertEquals(List.of("No resources found in empty namespace."), list("-n", "empty").out().lines().toList());
  }
}
