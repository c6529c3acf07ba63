package com.crd.workflow.scenarios;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The real operator entry point ({@code com.crd.workflow.Main}) in its own JVM, so a test can kill
 * it at any instant exactly as a node failure would. Its log goes to a file for post-mortems.
 */
public final class OperatorProcess {
  private static final Pattern PORT = Pattern.compile("serving metrics port=(\\d+)");
  private final Process process;
  private final Path log;
  private final long startedNanos = System.nanoTime();

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static OperatorProcess start(Path kubeconfig, Path log, List<String> extraArgs)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-cp", cp, "com.crd.workflow.Main", "run",
        "--kubeconfig", kubeconfig.toString(), "--metrics-port", "0"));
    cmd.addAll(extraArgs);
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new OperatorProcess(p, log);
  }

  private static final Pattern IDENTITY = Pattern.compile("operator started identity=(\\S+)");

  /** The identity this instance holds the lease under, once it has started. */
  public String identity() throws IOException {
    Matcher m = IDENTITY.matcher(Files.exists(log) ? Files.readString(log) : "");
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return found;
  }

  /** How long ago this JVM was started. */
  public Duration age() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** SIGTERM: the operator finishes its tick and releases its lease. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGKILL: the crash that must lose nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  public int metricsPort() {
    int[] port = new int[1];
    Awaitility.await("operator metrics port in " + log).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100)).until(() -> {
          if (!Files.exists(log)) {
            return false;
          }
          Matcher m = PORT.matcher(Files.readString(log));
          int found = -1;
          while (m.find()) {
            found = Integer.parseInt(m.group(1)); // the log file may hold earlier runs
          }
          port[0] = found;
          return found > 0 || !process.isAlive();
        });
    if (port[0] <= 0) {
      throw new IllegalStateException("operator exited early; see " + log);
    }
    return port[0];
  }

  /** One client for every scrape: pollers scrape every 50 ms, and each new client starts a thread. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** A sample of one metric (summed over label sets matching {@code labelFilter}), if exposed. */
  public static OptionalDouble scrape(int port, String metric, String labelFilter) throws Exception {
    String body = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    boolean found = false;
    for (String line : body.split("\n")) {
      if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
        if (labelFilter != null && !line.contains(labelFilter)) {
          continue;
        }
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }
}
