package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.core.Names;
import com.crd.workflow.kube.Applier;
import com.crd.workflow.kube.EventRecorder;
import com.crd.workflow.kube.Decode;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.kube.RateLimiter;
import com.crd.workflow.observe.Mirror;
import com.crd.workflow.observe.Reflector;
import com.crd.workflow.metrics.HealthServer;
import com.crd.workflow.metrics.Metrics;
import com.crd.workflow.ui.WebView;
import io.kubernetes.client.openapi.ApiClient;
import java.io.IOException;
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
  private final List<Reflector<?>> reflectors = new ArrayList<>();
  private final List<Reflector<?>> podReflectors = new ArrayList<>();
  private final Mirror mirror;
  private volatile boolean stopping;
  private int failedTicks; // only the loop thread touches it
  private KubeApi api;
  private Leadership leadership;
  private HealthServer health;
  private Reconciler reconciler;

  public Operator(Settings settings) {
    this.settings = settings;
    // Long enough to fold a burst of events into one tick, short next to a step's reaction time.
    this.loop = new Loop(settings.tickPeriod(), Duration.ofMillis(25));
    this.mirror = new Mirror(loop::wake);
  }

  /** The observed Workflows, as the API server last reported them. */
  public Mirror mirror() {
    return mirror;
  }

  /** The web view on the metrics port, fed by the reconciler's last observation; null when off. */
  /** The web view reads the mirror: no API call per page view. */
  private WebView ui() {
    return settings.ui() ? new WebView(mirror::workflows, mirror::attempts, Clock.systemUTC()) : null;
  }

  /** Runs until SIGTERM (or {@link #stop()}); returns the process exit code. */
  public int run() throws IOException, Kubeconfig.Unusable {
    Kubeconfig.Source cluster = Kubeconfig.find(settings);
    Log.info("using API server", "server", cluster.server(), "context",
        cluster.context() == null ? "" : cluster.context(), "config", cluster.describe());
    ApiClient client = Kubeconfig.client(cluster, Duration.ofSeconds(30));
    ApiClient watchClient = Kubeconfig.client(cluster, Duration.ofSeconds(330)); // beyond the watch timeout
    api = new KubeApi(client, metrics::apiCall,
        new RateLimiter(settings.kubeApiQps(), settings.kubeApiBurst()));
    Clock clock = Clock.systemUTC();
    // Lease calls are not counted as API metrics: renewals would drown the reconcile traffic.
    // Their own client: a Lease call that outlives a third of the lease is abandoned, not waited for.
    leadership = settings.leaderElect() ? new Leadership(new KubeApi(Kubeconfig.boundedClient(cluster,
        Leadership.callTimeout(settings.leaseDuration())), null), settings, this::leaderChanged) : null;
    Applier applier = new Applier(api, clock, new EventRecorder(api.prepaid(), clock, settings.identity()),
        () -> !stopping && (leadership == null || leadership.leading()));
    List<String> scopes = settings.namespaces().isEmpty()
        ? Collections.singletonList(null) : settings.namespaces();
    for (String ns : scopes) {
      reflectors.add(new Reflector<>(api, watchClient, Paths.workflows(ns), null, ns,
          Decode.WORKFLOWS, new Reflector.Sink<>(mirror::putWorkflow,
              w -> mirror.removeWorkflow(w.namespace(), w.name()), mirror::retainWorkflows,
              w -> Mirror.key(w.namespace(), w.name())),
          settings.resyncPeriod(), settings.tickPeriod()));
      reflectors.add(new Reflector<>(api, watchClient, Paths.jobs(ns), Names.MANAGED_SELECTOR, ns,
          Decode.JOBS, new Reflector.Sink<>(mirror::putJob,
              j -> mirror.removeJob(j.namespace(), j.name()), mirror::retainJobs,
              j -> Mirror.key(j.namespace(), j.name())),
          settings.resyncPeriod(), settings.tickPeriod()));
      // The pods of managed Jobs carry the operator's labels too: one watch, never a LIST per tick.
      Reflector<?> pods = new Reflector<>(api, watchClient, Paths.pods(ns), Names.MANAGED_SELECTOR,
          ns, Decode.PODS, new Reflector.Sink<>(mirror::putPod,
              p -> mirror.removePod(p.namespace(), p.name()), mirror::retainPods,
              p -> Mirror.key(p.namespace(), p.name())),
          settings.resyncPeriod(), settings.tickPeriod());
      reflectors.add(pods);
      podReflectors.add(pods);
    }
    reflectors.forEach(r -> r.onReadiness(loop::wake));
    metrics.observe(mirror::workflows);
    metrics.problems(() -> reflectors.stream().map(Reflector::cause).filter(java.util.Objects::nonNull)
        .map(c -> c.name().toLowerCase()).toList());
    reconciler = new Reconciler(mirror, this::synced,
        applier, metrics, clock, loop::wakeIn, settings.maxRunningSteps(),
        settings.defaultTtlSeconds())
        .watchingPods(() -> podReflectors.stream().allMatch(Reflector::synced));
    if (settings.metricsPort() >= 0) {
      try {
        health = new HealthServer(settings.metricsPort(), metrics, this::notReady, this::readyText,
            ui());
      } catch (java.net.BindException e) {
        // A second instance on one machine must still reconcile; probes on the configured port
        // will fail and show the conflict.
        health = new HealthServer(0, metrics, this::notReady, this::readyText, ui());
        Log.error("metrics port in use, serving on another port instead",
            "wanted", settings.metricsPort(), "port", health.port());
      }
      Log.info("serving metrics", "port", health.port());
    }
    reflectors.forEach(r -> daemon("mirror", r));
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
      loop.run(full -> {
        if (leadership == null || leadership.leading()) {
          failedTicks = reconciler.tick(full) ? 0 : failedTicks + 1;
          backOff();
        } else {
          reconciler.rehearse(); // ready to act the moment the lease is ours
        }
      });
      reflectors.forEach(Reflector::stop);
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
      return leadership.problem(); // a standby is ready unless it cannot even take part
    }
    if (!synced()) {
      return "waiting for the first list of workflows and jobs: "
          + String.valueOf(reflectorProblems()).replace("null", "listing");
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

  /**
   * Every collection has been listed. Pods only make messages better: where reading them fails
   * (RBAC not yet updated, a server without pods) the operator runs without them, degraded,
   * rather than not at all; messages then keep the Jobs' reasons.
   */
  private boolean synced() {
    // Pods only make messages better: a pod list that fails for any reason (forbidden, a server
    // that does not serve pods, an error) never holds the workflows back. It is retried with
    // backoff, and until it works messages carry the Jobs' reasons and /readyz says degraded.
    return reflectors.stream().allMatch(r -> r.synced() || podReflectors.contains(r) && r.cause() != null);
  }

  /** Null when every list and watch works; else what does not, for /readyz. */
  private String reflectorProblems() {
    List<String> problems = reflectors.stream().map(Reflector::problem)
        .filter(java.util.Objects::nonNull).toList();
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** The /readyz text of a ready operator: "ready", plus any degraded observation. */
  public String readyText() {
    String problems = reflectorProblems();
    return problems == null ? "ready" : "ready (degraded: " + problems + ")";
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }
}
