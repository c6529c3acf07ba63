package com.crd.workflow.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The operator's entry point ({@code com.crd.workflow.Main}, the jar's Main-Class) in its own JVM,
 * with no cluster configuration from this machine leaking in: no KUBECONFIG, no in-cluster
 * variables, an empty home directory.
 */
final class MainProcess {
  record Result(int exitCode, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private MainProcess() {}

  /** Runs to completion, or sends SIGTERM after {@code runFor} if it still runs then. */
  static Result run(Path home, Duration runFor, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(home, null, runFor, Duration.ZERO, env, args);
  }

  /**
   * Runs until its stderr so far satisfies {@code seen} (or {@code deadline} passes, or it exits),
   * then for {@code then} more, then sends SIGTERM: a loaded machine may take seconds to start a
   * JVM, so what a case must see is waited for, not assumed to happen within a fixed time.
   */
  static Result runUntil(Path home, Predicate<String> seen, Duration then,
      Map<String, String> env, String... args) throws IOException, InterruptedException {
    return run(home, seen, Duration.ofSeconds(60), then, env, args);
  }

  /** {@code seen} null: no line to wait for, only the deadline (or the process's exit). */
  private static Result run(Path home, Predicate<String> seen, Duration deadline,
      Duration then, Map<String, String> env, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Duser.home=" + home, "-cp", cp, "com.crd.workflow.Main"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(home, "stdout", ".txt");
    Path err = Files.createTempFile(home, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.equals("KUBECONFIG") || k.startsWith("KUBERNETES_")
        || k.equals("HOME") || k.equals("METRICS_PORT") || k.equals("TICK_PERIOD")
        || k.startsWith("LOG_") || k.startsWith("LEASE_") || k.startsWith("WATCH_NAMESPACE"));
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (seen == null) {
      p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      long end = System.nanoTime() + deadline.toNanos();
      while (p.isAlive() && System.nanoTime() < end
          && !seen.test(Files.readString(err, StandardCharsets.UTF_8))) {
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
    }
    if (!p.waitFor(then.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
