package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test-e2e/lib.sh finds kind and kubectl (PATH, ~/go/bin, KIND/KUBECTL) and says, in one line,
 * how to install what is missing. Run with an empty PATH and a fresh HOME, so the result does not
 * depend on what this machine has installed.
 */
class E2eLibTest {
  private static String bash;

  @TempDir
  Path home;
  @TempDir
  Path emptyPath;

  @BeforeAll
  static void findBash() {
    bash = Path.of("/bin/bash").toFile().canExecute() ? "/bin/bash" : null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (bash == null && !dir.isEmpty() && Path.of(dir, "bash").toFile().canExecute()) {
        bash = Path.of(dir, "bash").toString();
      }
    }
    assumeTrue(bash != null, "bash is not installed");
  }

  private Repo.Result lib(String script, Consumer<Map<String, String>> env) throws Exception {
    return Repo.run(Duration.ofSeconds(30), e -> {
      e.remove("KIND");
      e.remove("KUBECTL");
      e.remove("GOPATH");
      e.remove("GOBIN");
      e.put("HOME", home.toString());
      e.put("PATH", emptyPath.toString());
      env.accept(e);
    }, bash, "-c", "source test-e2e/lib.sh && " + script);
  }

  private Path fakeTool(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    Path tool = dir.resolve(name);
    Files.writeString(tool, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tool;
  }

  private static void assertOneLine(Repo.Result r, String... parts) {
    assertEquals(1, r.exit(), r.output());
    assertEquals(1, r.output().strip().lines().count(), "one line:\n" + r.output());
    for (String part : parts) {
      assertTrue(r.output().contains(part), "expected '" + part + "' in:\n" + r.output());
    }
  }

  @Test
  @DisplayName("no kind anywhere: exit 1 with one line naming go install sigs.k8s.io/kind@v0.27.0 and the release page")
  void kindMissing() throws Exception {
    assertOneLine(lib("require_kind", e -> { }), "make e2e needs kind",
        "go install sigs.k8s.io/kind@v0.27.0", "https://kind.sigs.k8s.io/");
  }

  @Test
  @DisplayName("no kubectl anywhere: exit 1 with one line pointing at the Kubernetes install docs")
  void kubectlMissing() throws Exception {
    assertOneLine(lib("require_kubectl", e -> { }), "make e2e needs kubectl",
        "https://kubernetes.io/docs/tasks/tools/");
  }

  @Test
  @DisplayName("kind installed by go install (~/go/bin, not on PATH) is found")
  void kindInGoBin() throws Exception {
    Path kind = fakeTool(home.resolve("go/bin"), "kind");
    Repo.Result r = lib("require_kind && echo \"KIND=$KIND\"", e -> { });
    assertEquals(0, r.exit(), r.output());
    assertEquals("KIND=" + kind, r.output().strip());
  }

  @Test
  @DisplayName("kind and kubectl on PATH are found")
  void toolsOnPath() throws Exception {
    Path kind = fakeTool(emptyPath, "kind");
    Path kubectl = fakeTool(emptyPath, "kubectl");
    Repo.Result r = lib("require_kind && require_kubectl && echo \"$KIND $KUBECTL\"", e -> { });
    assertEquals(0, r.exit(), r.output());
    assertEquals(kind + " " + kubectl, r.output().strip());
  }

  @Test
  @DisplayName("KIND and KUBECTL override the lookup; a wrong override is one clear line")
  void overrides() throws Exception {
    Path kind = fakeTool(home.resolve("tools"), "my-kind");
    Path kubectl = fakeTool(home.resolve("tools"), "my-kubectl");
    Repo.Result r = lib("require_kind && require_kubectl && echo \"$KIND $KUBECTL\"", e -> {
      e.put("KIND", kind.toString());
      e.put("KUBECTL", kubectl.toString());
    });
    assertEquals(0, r.exit(), r.output());
    assertEquals(kind + " " + kubectl, r.output().strip());
    assertOneLine(lib("require_kind", e -> e.put("KIND", "/nonexistent/kind")),
        "KIND=/nonexistent/kind is not an executable");
  }

  @Test
  @DisplayName("no docker command: exit 1 with the one-line Docker message")
  void dockerMissing() throws Exception {
    assertOneLine(lib("require_docker", e -> { }),
        "make e2e needs a running Docker engine", "docker command is not installed");
  }

  @Test
  @DisplayName("a docker CLI whose engine does not answer: exit 1 with one line, naming DOCKER_HOST")
  void engineDown() throws Exception {
    Path docker = emptyPath.resolve("docker");
    Files.writeString(docker, "#!/bin/sh\necho 'Client:'\n"
        + "echo 'Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?' >&2\n"
        + "exit 1\n");
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertOneLine(lib("require_docker 'make e2e'", e -> e.put("DOCKER_HOST", "unix:///x.sock")),
        "make e2e needs a running Docker engine", "DOCKER_HOST=unix:///x.sock",
        "Cannot connect to the Docker daemon");
  }
}
