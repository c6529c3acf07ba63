package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.core.Names;
import com.crd.workflow.kube.Applier;
import com.crd.workflow.kube.EventRecorder;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.metrics.HealthServer;
import com.crd.workflow.metrics.Metrics;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Wires the running operator: API clients, metrics, watches, leader election and the loop. */
public final class Operator {
  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private final Loop loop;
  private final List<Watcher> watchers = new ArrayList<>();
  private volatile boolean stopping;
  private int failedTicks; // only the loop thread touches it
  private KubeApi api;
  private Leadership leadership;
  private HealthServer health;
  private Reconciler reconciler;

  public Operator(Settings settings) {
    this.settings = settings;
    this.loop = new Loop(settings.tickPeriod(), Duration.ofMillis(50));
  }

  static ApiClient client(Settings s, Duration readTimeout) throws IOException {
    ClientBuilder builder;
    if (s.kubeconfig() != null) {
      try (Reader r = new FileReader(s.kubeconfig())) {
        KubeConfig kc = KubeConfig.loadKubeConfig(r);
        kc.setFile(Path.of(s.kubeconfig()).toAbsolutePath().toFile());
        builder = ClientBuilder.kubeconfig(kc);
      }
    } else {
      builder = ClientBuilder.standard(); // $KUBECONFIG, ~/.kube/config, then in-cluster
    }
    ApiClient c = builder.setReadTimeout(readTimeout).build();
    c.setConnectTimeout(10_000);
    c.setWriteTimeout(30_000);
    return c;
  }

  /** Runs until SIGTERM (or {@link #stop()}); returns the process exit code. */
  public int run() throws IOException {
    ApiClient client = client(settings, Duration.ofSeconds(30));
    ApiClient watchClient = client(settings, Duration.ofSeconds(330)); // beyond the watch timeout
    api = new KubeApi(client, metrics::apiCall);
    Clock clock = Clock.systemUTC();
    // Lease calls are not counted as API metrics: renewals would drown the reconcile traffic.
    leadership = settings.leaderElect()
        ? new Leadership(new KubeApi(client, null), settings, this::leaderChanged) : null;
    Applier applier = new Applier(api, clock, new EventRecorder(api, clock, settings.identity()),
        () -> !stopping && (leadership == null || leadership.leading()));
    reconciler = new Reconciler(api, applier, metrics, clock, settings.namespaces(),
        settings.maxRunningSteps());
    if (settings.metricsPort() >= 0) {
      try {
        health = new HealthServer(settings.metricsPort(), metrics, this::notReady);
      } catch (java.net.BindException e) {
        // A second instance on one machine must still reconcile; probes on the configured port
        // will fail and show the conflict.
        health = new HealthServer(0, metrics, this::notReady);
        Log.error("metrics port in use, serving on another port instead",
            "wanted", settings.metricsPort(), "port", health.port());
      }
      Log.info("serving metrics", "port", health.port());
    }
    List<String> scopes = settings.namespaces().isEmpty()
        ? Collections.singletonList(null) : settings.namespaces();
    for (String ns : scopes) {
      watchers.add(new Watcher(api, watchClient, Paths.workflows(ns), null, loop::wake));
      watchers.add(new Watcher(api, watchClient, Paths.jobs(ns), Names.MANAGED_SELECTOR, loop::wake));
    }
    watchers.forEach(w -> daemon("watch", w));
    if (leadership != null) {
      daemon("leader-election", leadership);
    } else {
      metrics.leader(true);
    }
    // Not main.join(): main may itself be in System.exit, waiting for this hook.
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop();
      try {
        done.await(20, TimeUnit.SECONDS); // let the current tick finish and the lease go
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Log.info("operator started", "identity", settings.identity(),
        "namespaces", settings.namespaces().isEmpty() ? "all" : String.join(",", settings.namespaces()),
        "tickPeriod", settings.tickPeriod(), "leaderElection", settings.leaderElect());
    try {
      loop.run(() -> {
        if (leadership == null || leadership.leading()) {
          failedTicks = reconciler.tick() ? 0 : failedTicks + 1;
          backOff();
        }
      });
      watchers.forEach(Watcher::stop);
      if (leadership != null) {
        leadership.release();
      }
      if (health != null) {
        health.close();
      }
      Log.info("operator stopped");
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook); // in-process runs (demo, tests) end here
      } catch (IllegalStateException alreadyShuttingDown) {
        // the JVM is exiting: the hook is running and will see the latch
      }
    }
    return 0;
  }

  /**
   * After failed ticks, wait (0.25 s doubling to 10 s) before the next: watch events would
   * otherwise retry at once against a server that is throttling (429) or failing.
   */
  private void backOff() {
    if (failedTicks == 0) {
      return;
    }
    long backoff = Math.min(10_000L, 250L << Math.min(failedTicks - 1, 6));
    long until = System.nanoTime() + Math.max(backoff, api.throttledFor().toMillis()) * 1_000_000;
    while (!stopping && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public void stop() {
    stopping = true;
    loop.stop();
  }

  private void leaderChanged(boolean leading) {
    metrics.leader(leading);
    if (leading) {
      loop.wake();
    }
  }

  /** Null when ready. A standby replica is ready: it is healthy, just idle. */
  private String notReady() {
    if (stopping) {
      return "shutting down";
    }
    if (leadership != null && !leadership.leading()) {
      return null;
    }
    long last = reconciler.lastSuccessNanos();
    Duration allowed = settings.tickPeriod().multipliedBy(3).compareTo(Duration.ofSeconds(30)) > 0
        ? settings.tickPeriod().multipliedBy(3) : Duration.ofSeconds(30);
    if (last == 0) {
      return "no successful tick yet: " + reconciler.lastError();
    }
    if (System.nanoTime() - last > allowed.toNanos()) {
      return "no successful tick for over " + allowed.toSeconds() + "s: " + reconciler.lastError();
    }
    return null;
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
