package com.crd.workflow.cli;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** The current kube context as kubectl finds it: --kubeconfig, $KUBECONFIG, ~/.kube/config, in-cluster. */
record Cluster(ApiClient client, ApiClient watchClient, String namespace) {
  private static final Path IN_CLUSTER_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  static Cluster connect(String kubeconfig, Function<String, String> env) throws IOException {
    String file = kubeconfig;
    if (file == null && env.apply("KUBECONFIG") != null) {
      for (String p : env.apply("KUBECONFIG").split(File.pathSeparator)) {
        if (!p.isEmpty() && new File(p).isFile()) {
          file = p;
          break;
        }
      }
    }
    if (file == null) {
      String home = System.getProperty("user.home");
      File dflt = new File(home, ".kube/config");
      file = dflt.isFile() ? dflt.getPath() : null;
    }
    if (file == null) {
      String ns = Files.isReadable(IN_CLUSTER_NAMESPACE) ? Files.readString(IN_CLUSTER_NAMESPACE).trim() : "default";
      return new Cluster(build(ClientBuilder.cluster(), 30), build(ClientBuilder.cluster(), 330), ns);
    }
    KubeConfig kc;
    try (Reader r = new FileReader(file)) {
      kc = KubeConfig.loadKubeConfig(r);
    }
    kc.setFile(Path.of(file).toAbsolutePath().toFile());
    String ns = kc.getNamespace() == null || kc.getNamespace().isEmpty() ? "default" : kc.getNamespace();
    ApiClient client = build(ClientBuilder.kubeconfig(kc), 30);
    ApiClient watch = build(ClientBuilder.kubeconfig(kc), 330);
    return new Cluster(client, watch, ns);
  }

  private static ApiClient build(ClientBuilder b, int readSeconds) throws IOException {
    ApiClient c = b.setReadTimeout(Duration.ofSeconds(readSeconds)).build();
    c.setConnectTimeout(10_000);
    return c;
  }
}
