package com.crd.workflow.scenarios;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process API server, with the real operator running as separate JVMs against it. Writes
 * are counted at the API, as requests the operator could have made (the test's own calls happen
 * outside the windows in which a scenario counts).
 */
public final class InProcessCluster implements TestCluster {
  private static final AtomicInteger RUNS = new AtomicInteger();
  private final FakeApiServer server = new FakeApiServer().start();
  private final Path dir;
  private final Path kubeconfig;
  private final KubeApi api;
  private final List<OperatorProcess> operators = new ArrayList<>();
  private final List<String> extraArgs;
  private int namespaces;

  public InProcessCluster(List<String> extraArgs) throws Exception {
    this.extraArgs = extraArgs;
    dir = Files.createDirectories(Path.of("target", "scenario-runs", "run-" + ProcessHandle.current().pid()
        + "-" + RUNS.incrementAndGet()));
    kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    ApiClient client = Config.fromUrl(server.url());
    client.setReadTimeout(30_000);
    api = new KubeApi(client, null);
  }

  public InProcessCluster() throws Exception {
    this(List.of("--tick-period", "2s", "--lease-namespace", "default", "--lease-duration", "3s"));
  }

  public FakeApiServer server() {
    return server;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public KubeApi api() {
    return api;
  }

  @Override
  public String newNamespace(String prefix) {
    return prefix + "-" + (++namespaces); // the in-process API takes any namespace
  }

  @Override
  public String image() {
    return "busybox:1.36";
  }

  @Override
  public int slowdown() {
    return 1;
  }

  @Override
  public synchronized void setOperators(int n) throws Exception {
    operators.removeIf(p -> !p.alive());
    while (operators.size() > n) {
      operators.remove(operators.size() - 1).kill();
    }
    while (operators.size() < n) {
      Path log = dir.resolve("operator-" + System.nanoTime() + ".log");
      OperatorProcess p = OperatorProcess.start(kubeconfig, log, extraArgs);
      p.metricsPort(); // wait until it serves
      operators.add(p);
    }
  }

  @Override
  public OptionalLong operatorWrites() {
    return OptionalLong.of(server.writes("jobs") + server.writes("workflows") + server.writes("events"));
  }

  @Override
  public synchronized OptionalLong ticks() throws Exception {
    long sum = 0;
    for (OperatorProcess p : operators) {
      sum += (long) OperatorProcess.scrape(p.metricsPort(), "workflow_operator_ticks_total", null)
          .orElse(0);
    }
    return OptionalLong.of(sum);
  }

  @Override
  public synchronized void close() throws Exception {
    for (OperatorProcess p : operators) {
      p.stop();
    }
    operators.clear();
    server.close();
  }
}
