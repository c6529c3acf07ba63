package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test-e2e/e2e.sh's flow, with docker, kind, kubectl, make and mvn replaced by stubs that log
 * their arguments: the order of the steps, the explicit kind context, and the diagnostics on
 * failure. (The real thing needs Docker; this checks the script's logic anywhere.)
 */
class E2eScriptFlowTest {
  private static final String CLUSTER = "flow-test";
  private static final String CONTEXT = "kind-" + CLUSTER;

  @TempDir
  Path dir;
  private Path bin;
  private Path log;

  private void stub(String name, String body) throws Exception {
    Path f = bin.resolve(name);
    Files.writeString(f, "#!/bin/sh\necho \"" + name + " $*\" >> \"$STUB_LOG\"\n" + body + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @BeforeEach
  void stubs() throws Exception {
    assumeTrue(Repo.installed("bash", "-c", "true"), "bash is not installed");
    bin = Files.createDirectories(dir.resolve("bin"));
    log = dir.resolve("calls.log");
    stub("docker", "exit 0");
    stub("kind", """
        case "$1 $2" in
          "get clusters") [ -n "$STUB_EXISTING" ] && echo "$STUB_EXISTING"; exit 0 ;;
          "get kubeconfig") printf 'apiVersion: v1\\nkind: Config\\ncurrent-context: kind-%s\\n' "$4" ;;
        esac
        exit 0""");
    stub("kubectl", """
        case "$*" in
          *"get deployment/workflow-operator"*) [ -n "$STUB_EXISTING" ] && exit 0; exit 1 ;;
          *"--previous"*) exit 1 ;;
        esac
        exit 0""");
    stub("make", "exit 0");
    stub("mvn", """
        echo "mvn-env KUBECONFIG=$KUBECONFIG $(grep current-context "$KUBECONFIG")" >> "$STUB_LOG"
        exit "${STUB_MVN_RC:-0}\"""");
  }

  private Repo.Result e2e(Consumer<Map<String, String>> env) throws Exception {
    return Repo.run(Duration.ofSeconds(60), e -> {
      e.keySet().removeAll(List.of("KIND", "KUBECTL", "KIND_NODE_IMAGE", "KUBECONFIG", "GOPATH", "GOBIN"));
      e.put("HOME", dir.toString()); // no ~/go/bin/kind of this machine's user
      e.put("PATH", bin + File.pathSeparator + e.getOrDefault("PATH", "/usr/bin:/bin"));
      e.put("STUB_LOG", log.toString());
      e.put("KIND_CLUSTER", CLUSTER);
      e.put("MVN", bin.resolve("mvn") + " -B -ntp");
      e.put("TMPDIR", dir.toString());
      env.accept(e);
    }, "bash", "test-e2e/e2e.sh");
  }

  private List<String> calls() throws Exception {
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private static int indexOf(List<String> calls, String prefix) {
    return indexOf(calls, prefix, 0);
  }

  private static int indexOf(List<String> calls, String prefix, int from) {
    for (int i = from; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static void inOrder(List<String> calls, String... prefixes) {
    int last = -1;
    for (String p : prefixes) {
      int i = indexOf(calls, p, last + 1);
      assertTrue(i > last, "expected '" + p + "' after the previous step in:\n" + String.join("\n", calls));
      last = i;
    }
  }

  @Test
  @DisplayName("a fresh run: checks, create the cluster, build and load the image, CRD, deploy, roll out, then the suite")
  void freshRun() throws Exception {
    Repo.Result r = e2e(e -> { });
    List<String> calls = calls();
    assertEquals(0, r.exit(), r.output() + "\n" + calls);
    inOrder(calls,
        "docker info",
        "kind create cluster --name " + CLUSTER + " --wait 120s",
        "make -C ",
        "kind load docker-image workflow-operator:dev --name " + CLUSTER,
        "kubectl --kubeconfig " + dir, // the private kubeconfig, not ~/.kube/config
        "mvn -B -ntp test -De2e=true -Dtest=KindE2ETest -Dsurefire.failIfNoSpecifiedTests=false");
    String make = calls.get(indexOf(calls, "make -C "));
    assertTrue(make.contains(" image") && make.contains("IMAGE=workflow-operator:dev"), make);
    List<String> kubectl = calls.stream().filter(c -> c.startsWith("kubectl ")).toList();
    assertTrue(kubectl.stream().allMatch(c -> c.contains("--context " + CONTEXT)),
        "every kubectl call names the kind context:\n" + String.join("\n", kubectl));
    String k = "kubectl --kubeconfig " + dir;
    List<String> deploySteps = List.of("apply -f crd/workflow.yaml", "wait --for=condition=Established",
        "apply -k deploy/", "scale deployment/workflow-operator --replicas=1",
        "rollout status deployment/workflow-operator --timeout=180s");
    int last = indexOf(calls, "kind load docker-image workflow-operator:dev");
    for (String step : deploySteps) {
      int i = -1;
      for (int j = last + 1; j < calls.size() && i < 0; j++) {
        if (calls.get(j).startsWith(k) && calls.get(j).contains(step)) {
          i = j;
        }
      }
      assertTrue(i > last, step + " missing or out of order:\n" + String.join("\n", calls));
      last = i;
    }
    assertTrue(last < indexOf(calls, "mvn "), "the suite runs after the rollout");
    assertFalse(kubectl.stream().anyMatch(c -> c.contains("rollout restart")), "nothing to restart on a fresh deploy");
    String mvnEnv = calls.get(indexOf(calls, "mvn-env "));
    assertTrue(mvnEnv.contains("current-context: " + CONTEXT), "the suite runs against the kind context: " + mvnEnv);
    assertFalse(r.output().contains("FAILED"), r.output());
  }

  @Test
  @DisplayName("a rerun reuses the cluster and restarts the operator so it runs the freshly loaded image")
  void rerun() throws Exception {
    Repo.Result r = e2e(e -> e.put("STUB_EXISTING", CLUSTER));
    List<String> calls = calls();
    assertEquals(0, r.exit(), r.output() + "\n" + calls);
    assertEquals(-1, indexOf(calls, "kind create"), calls.toString());
    inOrder(calls, "kind load docker-image workflow-operator:dev", "kubectl --kubeconfig");
    assertTrue(calls.stream().anyMatch(c -> c.contains("rollout restart deployment/workflow-operator")), calls.toString());
  }

  @Test
  @DisplayName("a failing suite: non-zero, then operator logs, wf/jobs/pods and recent events from the kind context")
  void failureDiagnostics() throws Exception {
    Repo.Result r = e2e(e -> e.put("STUB_MVN_RC", "3"));
    List<String> calls = calls();
    assertEquals(3, r.exit(), r.output());
    int suite = indexOf(calls, "mvn ");
    List<String> after = calls.subList(suite + 1, calls.size());
    for (String expected : List.of("-n workflow-operator logs deploy/workflow-operator --tail=200",
        "logs deploy/workflow-operator --previous", "get wf,jobs,pods -A -o wide",
        "get events -A --sort-by=.lastTimestamp")) {
      assertTrue(after.stream().anyMatch(c -> c.startsWith("kubectl ") && c.contains("--context " + CONTEXT)
          && c.contains(expected)), expected + " not run after the failure:\n" + String.join("\n", after));
    }
    assertTrue(r.output().contains("make e2e FAILED (exit 3) while running the scenario suite"), r.output());
    assertTrue(r.output().contains("surefire-reports"), r.output());
  }

  @Test
  @DisplayName("kind missing: one line on how to install it, and nothing else has run")
  void kindMissingFirst() throws Exception {
    Files.delete(bin.resolve("kind"));
    Repo.Result r = e2e(e -> e.put("PATH", bin + File.pathSeparator + "/usr/bin:/bin"));
    assumeTrue(!Files.isExecutable(Path.of("/usr/bin/kind")) && !Files.isExecutable(Path.of("/bin/kind")),
        "this machine has kind in /usr/bin");
    assertNotEquals(0, r.exit());
    assertTrue(r.output().contains("go install sigs.k8s.io/kind@v0.27.0"), r.output());
    assertEquals(List.of("docker info"), calls());
  }
}
