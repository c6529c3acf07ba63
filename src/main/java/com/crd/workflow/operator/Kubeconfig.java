package com.crd.workflow.operator;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where the operator finds its cluster: {@code --kubeconfig} (or {@code KUBECONFIG}), else
 * {@code ~/.kube/config}, else the in-cluster service account. Never a default server: client-java
 * would fall back to http://localhost:8080, which is the operator's own metrics port.
 */
public final class Kubeconfig {
  static final String IN_CLUSTER_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  /** No usable cluster configuration; the message is for the user. */
  public static final class Unusable extends Exception {
    Unusable(String message) {
      super(message);
    }
  }

  /**
   * The cluster configuration found.
   *
   * @param file the kubeconfig, or null in a cluster
   * @param config the parsed kubeconfig, or null in a cluster
   */
  public record Source(Path file, KubeConfig config, String context, String server) {
    public String describe() {
      return file == null ? "in-cluster service account" : file.toString();
    }
  }

  private Kubeconfig() {}

  /** The configuration for these settings, from the process's environment and home directory. */
  public static Source find(Settings s) throws Unusable {
    return find(s.kubeconfig(), System::getenv, Path.of(System.getProperty("user.home"), ".kube", "config"),
        Path.of(IN_CLUSTER_TOKEN));
  }

  static Source find(String flag, Function<String, String> env, Path home, Path token) throws Unusable {
    if (flag != null) {
      Path file = Path.of(flag);
      if (!Files.isRegularFile(file)) {
        throw new Unusable("kubeconfig " + file + ": no such file");
      }
      return parse(file);
    }
    if (Files.isRegularFile(home)) {
      return parse(home);
    }
    String host = env.apply("KUBERNETES_SERVICE_HOST");
    if (host != null && !host.isEmpty() && Files.isRegularFile(token)) {
      String port = env.apply("KUBERNETES_SERVICE_PORT");
      return new Source(null, null, null, "https://" + (host.contains(":") ? "[" + host + "]" : host)
          + ":" + (port == null || port.isEmpty() ? "443" : port));
    }
    throw new Unusable("no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or run in a cluster");
  }

  /** Parses a kubeconfig; a problem names the file and, for YAML errors, the line. */
  static Source parse(Path file) throws Unusable {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new Unusable("kubeconfig " + file + ": cannot read: " + e.getMessage());
    }
    try {
      Object doc = new Yaml().load(text);
      if (!(doc instanceof Map)) {
        throw new Unusable("kubeconfig " + file + ": not a kubeconfig (expected a YAML mapping)");
      }
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : -1;
      throw new Unusable("kubeconfig " + file + ": line " + line + ": " + e.getProblem());
    } catch (RuntimeException e) {
      throw new Unusable("kubeconfig " + file + ": " + e.getMessage());
    }
    KubeConfig kc;
    try {
      kc = KubeConfig.loadKubeConfig(new StringReader(text));
      kc.setFile(file.toAbsolutePath().toFile());
    } catch (RuntimeException e) {
      throw new Unusable("kubeconfig " + file + ": " + e);
    }
    String context = kc.getCurrentContext();
    if (context == null || context.isEmpty()) {
      throw new Unusable("kubeconfig " + file + ": no current-context set (kubectl config use-context NAME)");
    }
    String server;
    try {
      server = kc.getServer();
    } catch (RuntimeException e) {
      server = null;
    }
    if (server == null || server.isEmpty()) {
      throw new Unusable("kubeconfig " + file + ": context " + context
          + " has no cluster with a server URL");
    }
    return new Source(file, kc, context, server);
  }

  /** A client for this configuration; ordinary calls time out after {@code readTimeout}. */
  public static ApiClient client(Source source, Duration readTimeout) throws IOException {
    ClientBuilder builder = source.config() == null ? ClientBuilder.cluster()
        : ClientBuilder.kubeconfig(source.config());
    ApiClient c = builder.setReadTimeout(readTimeout).build();
    c.setConnectTimeout(10_000);
    c.setWriteTimeout(30_000);
    String version = Kubeconfig.class.getPackage().getImplementationVersion();
    c.setUserAgent("workflow-operator/" + (version == null ? "dev" : version));
    return c;
  }

  /** A client whose every call, connecting included, ends within {@code timeout}. */
  public static ApiClient boundedClient(Source source, Duration timeout) throws IOException {
    ApiClient c = client(source, timeout);
    c.setHttpClient(c.getHttpClient().newBuilder().callTimeout(timeout).build());
    return c;
  }
}
