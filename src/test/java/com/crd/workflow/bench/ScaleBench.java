package com.crd.workflow.bench;

import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.JobSpecs;
import com.crd.workflow.kube.Json;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench-scale}: the real operator jar, in its own JVM with the shipped Deployment's
 * memory limit and JVM flags, against the in-process API seeded with N converged workflows of 10
 * steps. Prints numbers; asserts nothing. The operator's CPU, heap and RSS are read from its own
 * process; API traffic is counted by the server.
 */
public final class ScaleBench {
  private static final String NS = "bench";
  private static final Pattern TICK = Pattern.compile(
      "DEBUG tick full=(true|false) planned=(\\d+).* wallMs=([0-9.]+) cpuMs=([0-9.]+)");
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(60);
  private static final Duration CHURN_WINDOW = Duration.ofSeconds(40);
  private static final double CHURN_PER_SECOND = 15;
  private static final Duration RESYNC = Duration.ofMinutes(2);

  private final int n;
  private final Path dir;
  private final List<String[]> rows = new ArrayList<>();

  private ScaleBench(int n, Path dir) {
    this.n = n;
    this.dir = dir;
  }

  public static void main(String[] args) throws Exception {
    String sizes = args.length > 0 ? args[0] : "1000,10000";
    Path dir = Files.createDirectories(Path.of("target", "bench-scale"));
    for (String s : sizes.split(",")) {
      new ScaleBench(Integer.parseInt(s.trim()), dir).run();
    }
  }

  private void row(String figure, String value) {
    rows.add(new String[] {figure, value});
    System.out.printf("  %-58s %s%n", figure, value);
  }

  private void run() throws Exception {
    System.out.printf("%n== %,d workflows x 10 steps = %,d Jobs ==%n", n, n * 10);
    FakeApiServer server = new FakeApiServer().start();
    server.setJobControllerEnabled(false); // the driver below completes Jobs
    server.setGarbageCollectorEnabled(false);
    Driver driver = new Driver(server);
    try {
      long t0 = System.nanoTime();
      seed(server);
      row("seeded in", secs(System.nanoTime() - t0));
      Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
      Operator op = Operator.start(kubeconfig, dir.resolve("operator-" + n + ".log"),
          List.of("--resync-period", RESYNC.toSeconds() + "s"));
      try {
        measure(server, driver, op);
      } finally {
        op.kill();
      }
      writesPerStep(server, driver, kubeconfig);
    } finally {
      driver.close();
      server.close();
    }
  }

  private void measure(FakeApiServer server, Driver driver, Operator op) throws Exception {
    long start = System.nanoTime();
    op.awaitReady(Duration.ofMinutes(5));
    // Ready is not enough: a standby is ready too. Wait for the leader's first full tick.
    await(() -> !op.ticksSince(0, true).isEmpty(), Duration.ofMinutes(5));
    row("start to first full tick (initial LIST of everything)", secs(System.nanoTime() - start)
        + ", operator CPU " + secs(op.cpuNanos()));
    long listsAfterStart = server.traffic().lists();

    // Idle: nothing changes; only periodic ticks and lease renewals.
    Snapshot before = Snapshot.of(server, op);
    Thread.sleep(IDLE_WINDOW.toMillis()); // a measurement window, not a wait for state
    Snapshot after = Snapshot.of(server, op);
    List<double[]> ticks = op.ticksSince(before.logOffset, true);
    row("idle: LIST requests per minute", perMinute(after.lists - before.lists, IDLE_WINDOW));
    row("idle: bytes read from the API server per minute",
        kb(perMinuteValue(after.bytes - before.bytes, IDLE_WINDOW)));
    row("idle: operator CPU (all threads)", pct(after.cpu - before.cpu, IDLE_WINDOW));
    row("periodic full tick (plans all " + n + "): wall / CPU, median", median(ticks, 0) + " ms / "
        + median(ticks, 1) + " ms");
    row("heap after GC", op.heapAfterGc());

    // A tick with nothing new: a wake-up (a Workflow event that changes nothing we read).
    long off = op.logSize();
    server.mergePatch("workflows", NS, "wf-0", "{\"metadata\":{\"annotations\":{\"bench\":\"poke\"}}}");
    await(() -> !op.ticksSince(off, false).isEmpty(), Duration.ofSeconds(30));
    List<double[]> poke = op.ticksSince(off, false);
    row("incremental tick for one changed workflow: wall / CPU", fmt(poke.get(0)[0]) + " ms / "
        + fmt(poke.get(0)[1]) + " ms");

    // Reaction with N idle workflows in the background: 2 chains at a time, Jobs run 300 ms.
    driver.reset("react");
    driver.start(Duration.ofMillis(300), 0);
    createChains(server, "react", 10, 2, driver);
    row("reaction, idle background (" + driver.samples() + " samples): p50 / p90 / p99",
        driver.percentiles());

    // Churn: 15 completions per second across many running workflows, started over 8 s (a
    // start-up burst is the rate limiter's business, not this figure's), measured after 12 s.
    driver.reset("churn");
    driver.start(Duration.ofMillis(100), CHURN_PER_SECOND);
    Thread churn = new Thread(() -> {
      try {
        createChains(server, "churn", 1000, 80, driver, Duration.ofMillis(100));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    churn.setDaemon(true);
    churn.start();
    Thread.sleep(12_000); // warm-up, not measured
    driver.clearSamples();
    before = Snapshot.of(server, op);
    Thread.sleep(CHURN_WINDOW.toMillis()); // a measurement window
    after = Snapshot.of(server, op);
    double rate = driver.samples() / (double) CHURN_WINDOW.toSeconds();
    row(String.format("churn (%.1f completions/s): reaction p50 / p90 / p99", rate),
        driver.percentiles());
    row("churn: LIST requests per minute", perMinute(after.lists - before.lists, CHURN_WINDOW));
    row("churn: bytes read from the API server per minute",
        kb(perMinuteValue(after.bytes - before.bytes, CHURN_WINDOW)));
    row("churn: operator CPU (all threads)", pct(after.cpu - before.cpu, CHURN_WINDOW));
    driver.stop();

    // Let a resync happen, then read the peak RSS: it covers the initial LIST and the resync.
    await(() -> op.uptime().compareTo(RESYNC.plusSeconds(20)) > 0, RESYNC.plusMinutes(3));
    row("LIST requests after start-up (the resync, every " + RESYNC.toSeconds() + " s in this run)",
        String.valueOf(server.traffic().lists() - listsAfterStart));
    row("heap after GC, after a resync", op.heapAfterGc());
    row("peak RSS (VmHWM), limit " + op.memoryLimit(), op.peakRss());
  }

  /** 500 workflows x 10 steps run to completion; the operator's writes counted per step. */
  private void writesPerStep(FakeApiServer server, Driver driver, Path kubeconfig) throws Exception {
    Operator op = Operator.start(kubeconfig, dir.resolve("operator-writes-" + n + ".log"),
        List.of("--kube-api-qps", "0"));
    try {
      op.awaitReady(Duration.ofMinutes(5));
      driver.reset("full");
      server.clearRequests();
      driver.start(Duration.ZERO, 0);
      long t0 = System.nanoTime();
      createChains(server, "full", 500, 500, driver);
      await(() -> server.list("workflows", "full").stream().allMatch(w ->
          "Completed".equals(Json.str(w, "status", "workflow-status"))), Duration.ofMinutes(5));
      double steps = 5000;
      List<com.crd.workflow.fakeapi.RecordedRequest> writes = server.recordedRequests().stream()
          .filter(r -> r.isWrite() && r.path().contains("/namespaces/full/")).toList();
      double jobs = writes.stream().filter(r -> "jobs".equals(r.resource())).count();
      double status = writes.stream().filter(r -> "workflows".equals(r.resource())).count();
      double events = writes.stream().filter(r -> "events".equals(r.resource())).count();
      row("500 workflows x 10 steps to completion (no rate limit)", secs(System.nanoTime() - t0));
      row("writes per step: Jobs / Workflow status / Events / total", String.format(
          "%.2f / %.2f / %.2f / %.2f", jobs / steps, status / steps, events / steps,
          (jobs + status + events) / steps));
    } finally {
      driver.stop();
      op.kill();
    }
  }

  // ---------------------------------------------------------------- seeding

  private static final String[][] DAG = {
      {"s0"}, {"s1", "s0"}, {"s2", "s0"}, {"s3", "s0"}, {"s4", "s1", "s2"}, {"s5", "s3"},
      {"s6", "s4", "s5"}, {"s7", "s6"}, {"s8", "s6"}, {"s9", "s7", "s8"}};

  private static JsonObject workflow(String ns, String name, boolean chain) {
    JsonArray containers = new JsonArray();
    for (int i = 0; i < 10; i++) {
      JsonObject c = new JsonObject();
      String[] row = DAG[i];
      c.addProperty("stepName", row[0]);
      c.addProperty("image", "busybox:1.36");
      JsonArray cmd = new JsonArray();
      cmd.add("sh");
      cmd.add("-c");
      cmd.add("echo " + row[0]);
      c.add("command", cmd);
      JsonArray deps = new JsonArray();
      if (chain) {
        if (i > 0) {
          deps.add("s" + (i - 1));
        }
      } else {
        Arrays.stream(row).skip(1).forEach(deps::add);
      }
      c.add("dependsOn", deps);
      containers.add(c);
    }
    JsonObject spec = new JsonObject();
    spec.addProperty("maxStepTimeout", 600);
    spec.add("containers", containers);
    JsonObject labels = new JsonObject();
    labels.addProperty("team", "bench");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    meta.add("labels", labels);
    JsonObject wf = new JsonObject();
    wf.addProperty("apiVersion", "workflow.crd.com/v1");
    wf.addProperty("kind", "Workflow");
    wf.add("metadata", meta);
    wf.add("spec", spec);
    return wf;
  }

  private static final String COMPLETE = "{\"status\":{\"startTime\":\"%s\",\"completionTime\":\"%s\","
      + "\"succeeded\":1,\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\","
      + "\"lastTransitionTime\":\"%s\"}]}}";

  static String completeStatus(Instant at) {
    String t = at.toString().replaceFirst("\\.\\d+Z$", "Z");
    return String.format(COMPLETE, t, t, t);
  }

  /** Converged: every Job Complete and every status exactly what the planner would write. */
  private void seed(FakeApiServer server) {
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      JsonObject created = server.create("workflows", NS, workflow(NS, "wf-" + i, false));
      Workflow wf = Convert.workflow(created);
      String hash = com.crd.workflow.core.Names.specHash(wf.spec());
      List<com.crd.workflow.core.ObservedJob> jobs = new ArrayList<>();
      for (Step s : wf.spec().steps()) {
        JsonObject job = server.create("jobs", NS, JobSpecs.desiredJobJson(Planner.createJob(wf, s, hash)));
        String name = Json.str(job, "metadata", "name");
        jobs.add(Convert.job(server.mergePatchStatus("jobs", NS, name, completeStatus(now))));
      }
      Plan p = Planner.plan(wf, jobs, now);
      JsonObject status = new JsonObject();
      status.add("status", Convert.toJson(p.status()));
      server.mergePatchStatus("workflows", NS, wf.name(), status.toString());
      if ((i + 1) % 2000 == 0) {
        System.out.printf("  seeded %,d workflows%n", i + 1);
      }
    }
  }

  private static void createChains(FakeApiServer server, String ns, int count, int parallel,
      Driver driver) throws Exception {
    createChains(server, ns, count, parallel, driver, Duration.ZERO);
  }

  /**
   * Creates {@code count} 10-step chains, at most {@code parallel} running and one per
   * {@code spacing} at most, and waits for all (or for the driver to stop).
   */
  private static void createChains(FakeApiServer server, String ns, int count, int parallel,
      Driver driver, Duration spacing) throws Exception {
    int next = 0;
    long last = 0;
    while (next < count || driver.running(ns) > 0) {
      while (next < count && driver.running(ns) < parallel
          && System.nanoTime() - last >= spacing.toNanos()) {
        driver.expect(ns, "chain-" + next);
        server.create("workflows", ns, workflow(ns, "chain-" + next, true));
        next++;
        last = System.nanoTime();
      }
      Thread.sleep(20); // pacing the creation of new chains, not waiting for a state
      if (!driver.alive()) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- the Job-controller stand-in

  /**
   * Completes the operator's Jobs (in the namespaces it is told about) after they have run for a
   * while, optionally paced to a rate, and measures each reaction: from a step's Job being
   * completed to the next step's Job being created.
   */
  private static final class Driver implements AutoCloseable {
    private record Created(String ns, String name, String workflow, int step, long at) {}

    private final FakeApiServer server;
    private final BlockingQueue<Created> queue = new LinkedBlockingQueue<>();
    private final Map<String, Long> completedAt = new ConcurrentHashMap<>(); // ns/wf/step
    private final Map<String, Integer> running = new ConcurrentHashMap<>(); // ns/wf -> 1
    private final List<Long> reactions = Collections.synchronizedList(new ArrayList<>());
    private volatile Thread thread;
    private volatile String active;

    Driver(FakeApiServer server) {
      this.server = server;
      server.onChange("jobs", (type, job) -> {
        if (!type.equals("ADDED")) {
          return;
        }
        long at = System.nanoTime();
        Map<String, String> labels = Json.strings(job, "metadata", "labels");
        String ns = Json.str(job, "metadata", "namespace");
        String wf = labels.get(com.crd.workflow.core.Names.LABEL_WORKFLOW);
        String step = labels.get(com.crd.workflow.core.Names.LABEL_STEP);
        if (ns == null || !ns.equals(active) || wf == null || step == null) {
          return;
        }
        int k = Integer.parseInt(step.substring(1));
        Long prev = k == 0 ? null : completedAt.get(ns + "/" + wf + "/" + (k - 1));
        if (prev != null) {
          reactions.add(at - prev);
        }
        queue.add(new Created(ns, Json.str(job, "metadata", "name"), wf, k, at));
      });
    }

    void expect(String ns, String wf) {
      running.put(ns + "/" + wf, 1);
    }

    int running(String ns) {
      return (int) running.keySet().stream().filter(k -> k.startsWith(ns + "/")).count();
    }

    boolean alive() {
      return thread != null && thread.isAlive();
    }

    /** Forgets what was measured and queued; from now on drives only {@code ns}'s Jobs. */
    void reset(String ns) {
      stop();
      active = ns;
      queue.clear();
      reactions.clear();
    }

    void clearSamples() {
      reactions.clear();
    }

    int samples() {
      return reactions.size();
    }

    String percentiles() {
      List<Long> r = new ArrayList<>(reactions);
      Collections.sort(r);
      if (r.isEmpty()) {
        return "no samples";
      }
      return ms(r, 0.5) + " / " + ms(r, 0.9) + " / " + ms(r, 0.99) + " ms";
    }

    private static String ms(List<Long> sorted, double q) {
      int i = Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1);
      return fmt(sorted.get(Math.max(0, i)) / 1e6);
    }

    /** @param perSecond 0 for as fast as Jobs are created */
    void start(Duration runFor, double perSecond) {
      stop();
      Thread t = new Thread(() -> {
        long next = System.nanoTime();
        try {
          while (!Thread.currentThread().isInterrupted()) {
            Created c = queue.take();
            long due = c.at + runFor.toNanos();
            long wait = Math.max(due, next) - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (perSecond > 0) {
              next = Math.max(next, System.nanoTime()) + (long) (1e9 / perSecond);
            }
            server.mergePatchStatus("jobs", c.ns, c.name, completeStatus(Instant.now()));
            completedAt.put(c.ns + "/" + c.workflow + "/" + c.step, System.nanoTime());
            if (c.step == 9) {
              running.remove(c.ns + "/" + c.workflow);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-driver");
      t.setDaemon(true);
      t.start();
      thread = t;
    }

    void stop() {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
        try {
          t.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void close() {
      stop();
    }
  }

  // ---------------------------------------------------------------- the operator process

  private static final class Operator {
    private final Process process;
    private final Path log;
    private final long startNanos = System.nanoTime();
    private final String memoryLimit;
    private int port = -1;

    private Operator(Process process, Path log, String memoryLimit) {
      this.process = process;
      this.log = log;
      this.memoryLimit = memoryLimit;
    }

    /** The JVM flags of the image's ENTRYPOINT, and the Deployment's memory limit as MaxRAM. */
    static Operator start(Path kubeconfig, Path log, List<String> extra) throws IOException {
      String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream()
          .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
      List<String> jvmFlags = new ArrayList<>();
      Matcher m = Pattern.compile("\"(-XX:[^\"]+|-X[^\"]+)\"").matcher(entrypoint);
      while (m.find()) {
        jvmFlags.add(m.group(1));
      }
      String deployment = Files.readString(Path.of("deploy", "deployment.yaml"));
      Matcher lim = Pattern.compile("limits:\\s*\\n\\s*memory:\\s*(\\d+)Mi").matcher(deployment);
      String limit = lim.find() ? lim.group(1) : "384";
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:MaxRAM=" + limit + "m"));
      cmd.addAll(jvmFlags);
      cmd.add("-Xlog:gc:file=" + log.resolveSibling(log.getFileName() + ".gc"));
      cmd.addAll(List.of("-jar", "target/workflow-operator.jar", "run", "--kubeconfig",
          kubeconfig.toString(), "--metrics-port", "0", "--lease-namespace", "default",
          "--log-level", "debug"));
      cmd.addAll(extra);
      Files.deleteIfExists(log);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      System.out.println("  operator: " + String.join(" ", cmd.subList(1, cmd.size())));
      return new Operator(p, log, limit + "Mi");
    }

    String memoryLimit() {
      return memoryLimit;
    }

    Duration uptime() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    void awaitReady(Duration max) throws Exception {
      await(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("operator exited; see " + log);
        }
        if (port < 0) {
          Matcher m = Pattern.compile("serving metrics port=(\\d+)").matcher(Files.readString(log));
          if (!m.find()) {
            return false;
          }
          port = Integer.parseInt(m.group(1));
        }
        try {
          return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
          return false;
        }
      }, max);
    }

    long cpuNanos() throws IOException {
      String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    long logSize() throws IOException {
      return Files.size(log);
    }

    /** Parsed "tick" debug lines after a log offset: {wallMs, cpuMs}, of full or incremental ticks. */
    List<double[]> ticksSince(long offset, boolean full) throws IOException {
      byte[] bytes = Files.readAllBytes(log); // offsets are bytes: library lines hold "µs"
      int from = (int) Math.min(offset, bytes.length);
      String text = new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
      List<double[]> out = new ArrayList<>();
      Matcher m = TICK.matcher(text);
      while (m.find()) {
        if (Boolean.parseBoolean(m.group(1)) == full && (full || !m.group(2).equals("0"))) {
          out.add(new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
        }
      }
      return out;
    }

    String heapAfterGc() throws Exception {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      exec(jcmd, String.valueOf(process.pid()), "GC.run");
      String info = exec(jcmd, String.valueOf(process.pid()), "GC.heap_info");
      Matcher m = Pattern.compile("(generation|heap)\\s+total (\\d+)K, used (\\d+)K").matcher(info);
      long used = 0;
      long total = 0;
      while (m.find()) {
        total += Long.parseLong(m.group(2));
        used += Long.parseLong(m.group(3));
      }
      return String.format("%.0f MB used (%.0f MB committed)", used / 1024.0, total / 1024.0);
    }

    String peakRss() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          return String.format("%.0f MB", kb / 1024.0);
        }
      }
      return "unknown";
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }
  }

  // ---------------------------------------------------------------- figures

  private record Snapshot(long lists, long bytes, long cpu, long logOffset) {
    static Snapshot of(FakeApiServer s, Operator op) throws IOException {
      return new Snapshot(s.traffic().lists(), s.traffic().allBytes(), op.cpuNanos(), op.logSize());
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(Check check, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + max);
      }
      Thread.sleep(100); // polling with a deadline
    }
  }

  private static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static String median(List<double[]> ticks, int i) {
    if (ticks.isEmpty()) {
      return "n/a";
    }
    double[] v = ticks.stream().mapToDouble(t -> t[i]).sorted().toArray();
    return fmt(v[v.length / 2]);
  }

  private static String fmt(double v) {
    return v >= 100 ? String.format("%.0f", v) : v >= 10 ? String.format("%.1f", v)
        : String.format("%.2f", v);
  }

  private static String secs(long nanos) {
    return String.format("%.1f s", nanos / 1e9);
  }

  private static String perMinute(long count, Duration window) {
    return fmt(perMinuteValue(count, window));
  }

  private static double perMinuteValue(long count, Duration window) {
    return count * 60.0 / window.toSeconds();
  }

  private static String kb(double bytes) {
    return bytes >= 1e6 ? String.format("%.1f MB", bytes / 1e6) : String.format("%.1f kB", bytes / 1e3);
  }

  private static String pct(long cpuNanos, Duration window) {
    return String.format("%.1f%% of one core", 100.0 * cpuNanos / window.toNanos());
  }
}
