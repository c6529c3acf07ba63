package com.crd.workflow.fakeapi;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a fake API server by hand: {@code FakeApiMain /tmp/fake-kubeconfig}, then point kubectl
 * or the operator at that kubeconfig. Blocks until killed.
 */
public final class FakeApiMain {
  private FakeApiMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path kubeconfig = Path.of(args.length > 0 ? args[0] : "fake-kubeconfig.yaml");
    FakeApiServer server = new FakeApiServer().start();
    server.writeKubeconfig(kubeconfig);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println(server.url());
    System.out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
    new CountDownLatch(1).await();
  }
}
