package com.crd.workflow.scenarios;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Operator processes run on this machine against a kubeconfig; scaled up and down by tests. */
public final class LocalOperators implements AutoCloseable {
  private final Path kubeconfig;
  private final Path logDir;
  private final List<String> args;
  /** Copy-on-write: {@link #ports()} reads it without waiting for a replica that is starting. */
  private final List<OperatorProcess> running = new java.util.concurrent.CopyOnWriteArrayList<>();

  public LocalOperators(Path kubeconfig, Path logDir, List<String> args) {
    this.kubeconfig = kubeconfig;
    this.logDir = logDir;
    this.args = args;
  }

  /** Kills extra instances abruptly (the crash the operator must survive) or starts new ones. */
  public synchronized void scale(int n) throws Exception {
    running.removeIf(p -> !p.alive());
    while (running.size() > n) {
      running.remove(running.size() - 1).kill();
    }
    while (running.size() < n) {
      OperatorProcess p = OperatorProcess.start(kubeconfig,
          logDir.resolve("operator-" + System.nanoTime() + ".log"), args);
      p.metricsPort(); // wait until it serves
      running.add(p);
    }
  }

  /** SIGKILL to the instance whose identity this is; false if none runs under it. */
  public synchronized boolean kill(String identity) throws Exception {
    for (OperatorProcess p : running) {
      if (identity.equals(p.identity())) {
        running.remove(p);
        p.kill();
        return true;
      }
    }
    return false;
  }

  /** Log file of the oldest running instance. */
  public synchronized Path logOfOldest() {
    return running.get(0).log();
  }

  /** Metrics port of the oldest running instance. */
  public synchronized int metricsPort() {
    return running.get(0).metricsPort();
  }

  /** SIGTERM to the oldest instance: it finishes its tick and releases its lease. */
  public synchronized void stopOldest() throws Exception {
    if (!running.isEmpty()) {
      running.remove(0).stop();
    }
  }

  /**
   * Metrics ports of every running instance; not synchronized, so a poller is never held up for
   * seconds while {@link #scale} starts a JVM.
   */
  public List<Integer> ports() {
    List<Integer> out = new ArrayList<>();
    for (OperatorProcess p : running) {
      if (p.alive()) {
        out.add(p.metricsPort());
      }
    }
    return out;
  }

  /** The age of the youngest running instance (zero when none runs). */
  public Duration youngestAge() {
    return running.stream().map(OperatorProcess::age).min(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  /** Sum of one metric over every running instance. */
  public synchronized long sum(String metric, String labelFilter) throws Exception {
    long sum = 0;
    for (OperatorProcess p : running) {
      sum += (long) OperatorProcess.scrape(p.metricsPort(), metric, labelFilter).orElse(0);
    }
    return sum;
  }

  @Override
  public synchronized void close() throws Exception {
    for (OperatorProcess p : running) {
      p.stop();
    }
    running.clear();
  }
}
