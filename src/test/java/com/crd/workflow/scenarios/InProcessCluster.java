package com.crd.workflow.scenarios;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private final LocalOperators operators;
  private final AtomicInteger namespaces = new AtomicInteger();

  public InProcessCluster(List<String> extraArgs) throws Exception {
    dir = Files.createDirectories(Path.of("target", "scenario-runs", "run-" + ProcessHandle.current().pid()
        + "-" + RUNS.incrementAndGet()));
    kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    ApiClient client = Config.fromUrl(server.url());
    client.setReadTimeout(30_000);
    api = new KubeApi(client, null);
    operators = new LocalOperators(kubeconfig, dir, extraArgs);
  }

  /**
   * The scenario suite's cluster. The client-side rate limit is raised from its default (20/s):
   * these scenarios are about behaviour, and at 20 writes a second the 500 Jobs and their status
   * updates of the load scenario alone take a minute. The limiter has its own tests.
   */
  public InProcessCluster() throws Exception {
    this(List.of("--tick-period", "2s", "--lease-namespace", "default", "--lease-duration", "3s",
        "--kube-api-qps", "200", "--kube-api-burst", "200"));
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
    return prefix + "-" + namespaces.incrementAndGet(); // the in-process API takes any namespace
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
  public void setOperators(int n) throws Exception {
    operators.scale(n);
  }

  /** Graceful stop (SIGTERM) of the instance started first. */
  public void stopFirstGracefully() throws Exception {
    operators.stopOldest();
  }

  public LocalOperators operators() {
    return operators;
  }

  @Override
  public OptionalLong operatorWrites() {
    return OptionalLong.of(server.writes("jobs") + server.writes("workflows") + server.writes("events"));
  }

  @Override
  public OptionalLong ticks() throws Exception {
    return OptionalLong.of(operators.sum("workflow_operator_ticks_total", null));
  }

  @Override
  public void close() throws Exception {
    operators.close();
    ApiUsage.add(server.recordedRequests()); // the RBAC check reads these
    server.close();
  }
}
