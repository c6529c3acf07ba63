package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** make image / e2e / e2e-down, checked without Docker, kind or a cluster. */
class E2eMakeTargetsTest {
  /** Where no engine can answer, on any machine: the checks must fail fast and clearly. */
  private static final String NO_ENGINE = "unix:///nonexistent/docker.sock";
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(");

  @BeforeAll
  static void makeIsThere() throws Exception {
    assumeTrue(Repo.installed("make", "--version"),
        "make is not installed (.ci/run installs it): the make targets were NOT checked");
    assertTrue(Pattern.compile("(?m)^\\s*-?include\\s+(\\S+\\s+)*test-e2e/e2e\\.mk\\s*$")
            .matcher(Files.readString(Repo.root().resolve("Makefile"))).find(),
        "the top Makefile must contain the line: include test-e2e/e2e.mk");
  }

  private static Repo.Result dryRun(String target) throws Exception {
    return Repo.run(Duration.ofSeconds(60), env -> { }, "make", "-n", target);
  }

  @Test
  @DisplayName("make -n e2e succeeds and shows the e2e.sh run, with nothing built before it")
  void dryRunE2e() throws Exception {
    Repo.Result r = dryRun("e2e");
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("test-e2e/e2e.sh"), r.output());
    assertFalse(r.output().contains("docker build"), "nothing slow before the Docker check:\n" + r.output());
  }

  @Test
  @DisplayName("make -n image checks Docker first, then builds the jar and the image")
  void dryRunImage() throws Exception {
    Repo.Result r = dryRun("image");
    assertEquals(0, r.exit(), r.output());
    String out = r.output();
    int check = out.indexOf("require_docker");
    int build = out.indexOf("docker build -t workflow-operator:dev .");
    assertTrue(check >= 0 && build > check, "require_docker, then docker build:\n" + out);
  }

  @Test
  @DisplayName("make -n e2e-down shows the e2e-down.sh run")
  void dryRunDown() throws Exception {
    Repo.Result r = dryRun("e2e-down");
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("test-e2e/e2e-down.sh"), r.output());
  }

  @Test
  @DisplayName("make help lists image, e2e and e2e-down with their descriptions")
  void helpListsTargets() throws Exception {
    Repo.Result r = Repo.run(Duration.ofSeconds(30), env -> { }, "make", "help");
    assertEquals(0, r.exit(), r.output());
    for (String target : List.of("image", "e2e", "e2e-down")) {
      assertTrue(Pattern.compile("(?m)^\\s*make " + target + "\\s+\\S").matcher(r.output()).find(),
          "make help should list '" + target + "':\n" + r.output());
    }
  }

  @Test
  @DisplayName("make e2e without a Docker engine stops within 30 s: non-zero, one clear message, no stack trace")
  void e2eWithoutDocker() throws Exception {
    Repo.Result r = Repo.run(Duration.ofSeconds(30), env -> {
      env.put("DOCKER_HOST", NO_ENGINE);
      env.remove("DOCKER_CONTEXT");
    }, "make", "e2e");
    assertFalse(r.timedOut(), "make e2e still running after 30 s:\n" + r.output());
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("make e2e needs a running Docker engine"), r.output());
    assertFalse(STACK_FRAME.matcher(r.output()).find() || r.output().contains("Exception"),
        "no stack trace:\n" + r.output());
    assertFalse(r.output().contains("==> "), "nothing started before the check:\n" + r.output());
  }

  @Test
  @DisplayName("make image without a Docker engine fails at once with the clear message, before building")
  void imageWithoutDocker() throws Exception {
    Repo.Result r = Repo.run(Duration.ofSeconds(30), env -> {
      env.put("DOCKER_HOST", NO_ENGINE);
      env.remove("DOCKER_CONTEXT");
    }, "make", "image");
    assertFalse(r.timedOut(), r.output());
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("make image needs a running Docker engine"), r.output());
    assertFalse(r.output().contains("mvn"), "the jar is not built first:\n" + r.output());
  }
}
