package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The repository's shell scripts are linted and parse, wherever make test runs. */
class E2eShellScriptsTest {
  private static final List<String> EXPECTED = List.of(
      ".ci/run", "test-e2e/e2e-down.sh", "test-e2e/e2e.sh", "test-e2e/lib.sh");

  @Test
  @DisplayName("the script scan finds the e2e scripts and .ci/run, and nothing under target* or .git")
  void scanFindsTheScripts() throws Exception {
    List<String> found = Repo.shellScripts().stream().map(Path::toString).toList();
    for (String s : EXPECTED) {
      assertTrue(found.contains(s), s + " not found among " + found);
    }
    assertTrue(found.stream().noneMatch(s -> s.startsWith("target") || s.startsWith(".git/")), found.toString());
  }

  @Test
  @DisplayName("every shell script in the repository passes shellcheck (sourced files followed)")
  void shellcheckPasses() throws Exception {
    assumeTrue(Repo.installed("shellcheck", "--version"),
        "shellcheck is not installed, so the shell scripts were NOT linted; install it "
            + "(apt-get install shellcheck, brew install shellcheck; .ci/run installs it)");
    List<String> cmd = new ArrayList<>(List.of("shellcheck", "--external-sources", "--format=gcc"));
    Repo.shellScripts().forEach(p -> cmd.add(p.toString()));
    Repo.Result r = Repo.run(Duration.ofMinutes(2), env -> { }, cmd.toArray(String[]::new));
    assertEquals(0, r.exit(), "shellcheck findings:\n" + r.output());
  }

  @TestFactory
  @DisplayName("every shell script parses: bash -n")
  Stream<DynamicTest> bashParses() throws Exception {
    assumeTrue(Repo.installed("bash", "-c", "true"), "bash is not installed");
    return Repo.shellScripts().stream().map(p -> DynamicTest.dynamicTest("bash -n " + p, () -> {
      Repo.Result r = Repo.run(Duration.ofSeconds(30), env -> { }, "bash", "-n", p.toString());
      assertEquals(0, r.exit(), "bash -n " + p + ":\n" + r.output());
    }));
  }
}
