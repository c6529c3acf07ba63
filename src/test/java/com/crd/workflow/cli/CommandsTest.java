package com.crd.workflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lint} and {@code plan} as a user meets them: exit codes and the exact lines printed.
 * Paths are relative to the project root (surefire's working directory) because the commands
 * echo each path as given.
 */
@DisplayName("lint and plan")
class CommandsTest {
  private static final String FIXTURES = "src/test/resources/cli/";

  private record Result(int code, List<String> lines, String text) {}

  private static Result run(BiFunction<List<String>, PrintStream, Integer> command, String... files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = command.apply(List.of(files), out);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    return new Result(code, text.lines().toList(), text);
  }

  private static Result lint(String... files) {
    return run(Commands::lint, files);
  }

  private static Result plan(String... files) {
    return run(Commands::plan, files);
  }

  static List<String> examples() throws IOException {
    List<String> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("examples"), "*.yaml")) {
      ds.forEach(p -> files.add("examples/" + p.getFileName()));
    }
    files.sort(null);
    return files;
  }

  @Test
  @DisplayName("the examples directory holds the four documented examples")
  void theDocumentedExamplesExist() throws IOException {
    assertTrue(examples().containsAll(List.of("examples/chain.yaml", "examples/diamond.yaml",
        "examples/failing.yaml", "examples/timeout.yaml")), "examples/: " + examples());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  @DisplayName("every example lints ok, even the ones meant to fail at run time")
  void everyExampleLintsOk(String file) {
    Result r = lint(file);
    String name = Path.of(file).getFileName().toString().replace(".yaml", "");
    assertEquals(List.of(file + ": workflow " + name + ": ok"), r.lines(), r.text());
    assertEquals(0, r.code(), r.text());
  }

  @Test
  @DisplayName("linting all examples at once prints one ok line per file and exits 0")
  void allExamplesAtOnce() throws IOException {
    List<String> files = examples();
    Result r = run(Commands::lint, files.toArray(String[]::new));
    assertEquals(files.size(), r.lines().size(), r.text());
    assertTrue(r.lines().stream().allMatch(l -> l.endsWith(": ok")), r.text());
    assertEquals(0, r.code(), r.text());
  }

  static Stream<Arguments> invalidWorkflows() {
    return Stream.of(
        Arguments.of("cycle.yaml",
            "workflow cycle: dependency cycle: build -> test -> build"),
        Arguments.of("unknown-dependency.yaml",
            "workflow unknown-dependency: step publish depends on unknown step biuld"),
        Arguments.of("duplicate-step.yaml",
            "workflow duplicate-step: duplicate step name build"),
        Arguments.of("bad-step-name.yaml",
            "workflow bad-step-name: step \"Build_Step\": stepName must be a DNS-1123 label"
                + " (lowercase letters, digits and '-', starting and ending with a letter or digit,"
                + " at most 63 characters)"),
        Arguments.of("empty-image.yaml",
            "workflow empty-image: step build: image must not be empty"),
        Arguments.of("bad-quantity.yaml", "workflow bad-quantity: step build:"
            + " resources.requests.cpu: \"2 cores\" is not a quantity (e.g. 500m, 2, 256Mi, 1Gi)"),
        Arguments.of("limits-below-requests.yaml", "workflow limits-below-requests: spec.stepDefaults:"
            + " resources.limits.memory (128Mi) is below resources.requests.memory (256Mi)"),
        Arguments.of("env-value-and-valuefrom.yaml",
            "workflow env-value-and-valuefrom: step build: env TOKEN sets both value and valueFrom"),
        Arguments.of("env-without-name.yaml", "workflow env-without-name: step build: env[0] has no name"),
        Arguments.of("undeclared-volume.yaml", "workflow undeclared-volume: step build: volumeMounts[0]"
            + " names volume \"workspace\", which spec.podTemplate.volumes does not declare"),
        Arguments.of("zero-parallelism.yaml",
            "workflow zero-parallelism: spec.parallelism must be at least 1, got 0"),
        Arguments.of("bad-queue-name.yaml", "workflow bad-queue-name: spec.queueName must be a valid"
            + " label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a"
            + " letter or digit), got \"team queue\""));
  }

  @Test
  @DisplayName("fields the CRD does not know are reported by path, as kubectl --validate=strict does")
  void unknownFieldsAreReported() {
    Result r = lint(FIXTURES + "typos.yaml");
    assertEquals(List.of(
        FIXTURES + "typos.yaml: workflow typos: unknown field \"spec.maxStepTimout\"",
        FIXTURES + "typos.yaml: workflow typos: unknown field \"spec.containers[0].comand\""), r.lines(), r.text());
    assertEquals(1, r.code(), r.text());
  }

  @Test
  @DisplayName("plan shows parallelism, the order it imposes, and what each step's pod gets")
  void planShowsPodSettings() {
    Result r = plan("examples/build-test-deploy.yaml");
    assertEquals(0, r.code(), r.text());
    assertEquals("workflow build-test-deploy: 8 steps, maxStepTimeout 120s, parallelism 2", r.lines().get(0));
    assertTrue(r.lines().contains("  wave 3: docs, integration-test, lint, unit-test (2 at a time, in this order)"), r.text());
    assertTrue(r.lines().contains("  pods: service account builder, API token mounted; volumes workspace;"
        + " securityContext; metadata"), r.text());
    assertTrue(r.lines().contains("  step build: env REGISTRY_TOKEN, LOG_LEVEL; envFrom configMap build-settings;"
        + " requests cpu 100m, memory 48Mi; limits memory 96Mi; mounts workspace at /workspace; securityContext"),
        r.text());
  }

  @Test
  @DisplayName("a file holding a Workflow and the Secret it uses lints the Workflow only")
  void companionObjectsAreSkipped() {
    Result r = lint("examples/build-test-deploy.yaml");
    assertEquals(List.of("examples/build-test-deploy.yaml: workflow build-test-deploy: ok"), r.lines(), r.text());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidWorkflows")
  @DisplayName("an invalid workflow exits 1 with one line naming the file, workflow and step")
  void invalidWorkflowExitsOne(String fixture, String problem) {
    Result r = lint(FIXTURES + fixture);
    assertEquals(List.of(FIXTURES + fixture + ": " + problem), r.lines(), r.text());
    assertEquals(1, r.code(), r.text());
  }

  @Test
  @DisplayName("a deadline below 1 s, a negative TTL and a negative retention: one line each, exit 1")
  void badLifetimes() {
    String f = FIXTURES + "bad-lifetimes.yaml";
    Result r = lint(f);
    assertEquals(List.of(
        f + ": workflow bad-lifetimes: spec.activeDeadlineSeconds must be at least 1 second, got 0",
        f + ": workflow bad-lifetimes: spec.ttlSecondsAfterFinished must be 0 or more seconds, got -1",
        f + ": workflow bad-lifetimes: spec.jobRetention.onSuccess must be 0 or more seconds, got -5"),
        r.lines(), r.text());
    assertEquals(1, r.code(), r.text());
  }

  @Test
  @DisplayName("YAML that does not parse exits 2 with a single line and no stack trace")
  void badYamlExitsTwo() {
    Result r = lint(FIXTURES + "bad-yaml.yaml");
    assertEquals(1, r.lines().size(), r.text());
    assertEquals(FIXTURES + "bad-yaml.yaml: error: invalid YAML at line 11, column 1: expected ','"
        + " or ']', but got <stream end>", r.lines().get(0));
    assertNoStackTrace(r);
    assertEquals(2, r.code(), r.text());
  }

  @Test
  @DisplayName("a Kubernetes object of another kind exits 2 and says what it is instead")
  void wrongKindExitsTwo() {
    Result r = lint(FIXTURES + "configmap.yaml");
    assertEquals(List.of(FIXTURES + "configmap.yaml: error: document 1 is v1 ConfigMap,"
        + " not workflow.crd.com/v1 Workflow"), r.lines(), r.text());
    assertEquals(2, r.code(), r.text());
  }

  @Test
  @DisplayName("a file that does not exist exits 2 with a single line")
  void missingFileExitsTwo() {
    Result r = lint(FIXTURES + "no-such-file.yaml");
    assertEquals(List.of(FIXTURES + "no-such-file.yaml: error: no such file"), r.lines(), r.text());
    assertNoStackTrace(r);
    assertEquals(2, r.code(), r.text());
  }

  @Test
  @DisplayName("with good and bad files together every file is reported and the worst exit code wins")
  void worstExitCodeWins() {
    Result r = lint("examples/diamond.yaml", FIXTURES + "cycle.yaml", FIXTURES + "missing.yaml");
    assertEquals(List.of(
        "examples/diamond.yaml: workflow diamond: ok",
        FIXTURES + "cycle.yaml: workflow cycle: dependency cycle: build -> test -> build",
        FIXTURES + "missing.yaml: error: no such file"), r.lines(), r.text());
    assertEquals(2, r.code(), r.text());

    Result invalidOnly = lint("examples/diamond.yaml", FIXTURES + "cycle.yaml");
    assertEquals(1, invalidOnly.code(), invalidOnly.text());
  }

  @Test
  @DisplayName("lint without files prints its usage and exits 2")
  void lintWithoutFiles() {
    Result r = lint();
    assertEquals(List.of("usage: workflow-operator lint FILE..."), r.lines());
    assertEquals(2, r.code());
  }

  @Test
  @DisplayName("plan on the diamond prints a, then b and c together, then d")
  void planDiamond() {
    Result r = plan("examples/diamond.yaml");
    assertEquals(List.of(
        "workflow diamond: 4 steps, maxStepTimeout 60s",
        "  wave 1: a",
        "  wave 2: b, c",
        "  wave 3: d"), r.lines(), r.text());
    assertEquals(0, r.code(), r.text());
  }

  @Test
  @DisplayName("plan on the chain prints one step per wave in dependency order")
  void planChain() {
    Result r = plan("examples/chain.yaml");
    assertEquals(List.of(
        "workflow chain: 3 steps, maxStepTimeout 60s",
        "  wave 1: fetch",
        "  wave 2: build",
        "  wave 3: publish"), r.lines(), r.text());
    assertEquals(0, r.code(), r.text());
  }

  @Test
  @DisplayName("plan on an invalid workflow prints its problem instead of waves and exits 1")
  void planInvalid() {
    Result r = plan(FIXTURES + "cycle.yaml");
    assertEquals(List.of(FIXTURES + "cycle.yaml: workflow cycle: dependency cycle:"
        + " build -> test -> build"), r.lines(), r.text());
    assertEquals(1, r.code(), r.text());
  }

  @Test
  @DisplayName("plan on a missing file or another kind exits 2 with one line")
  void planUnreadable() {
    Result missing = plan(FIXTURES + "no-such-file.yaml");
    assertEquals(List.of(FIXTURES + "no-such-file.yaml: error: no such file"), missing.lines());
    assertEquals(2, missing.code());
    Result kind = plan(FIXTURES + "configmap.yaml");
    assertEquals(1, kind.lines().size(), kind.text());
    assertEquals(2, kind.code());
  }

  @Test
  @DisplayName("plan takes exactly one file")
  void planTakesOneFile() {
    Result r = plan("examples/diamond.yaml", "examples/chain.yaml");
    assertEquals(List.of(Commands.PLAN_USAGE), r.lines());
    assertEquals(2, r.code());
  }

  private static void assertNoStackTrace(Result r) {
    assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), r.text());
  }
}
