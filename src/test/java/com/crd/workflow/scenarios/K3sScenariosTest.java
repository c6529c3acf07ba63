package com.crd.workflow.scenarios;

import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The scenario suite on a real API server and real Jobs (k3s in Docker), with the operator as a
 * local process. Skipped, and reported as skipped, where no Docker engine answers.
 *
 * <p>{@code @EnabledIf} comes first so that a machine with no Docker at all skips quietly;
 * Testcontainers' own check, which logs an ERROR, runs only where Docker is configured.
 */
@EnabledIf(value = "com.crd.workflow.scenarios.K3sScenariosTest$Docker#configured",
    disabledReason = "no Docker engine (no DOCKER_HOST, no docker.sock)")
@Testcontainers(disabledWithoutDocker = true)
class K3sScenariosTest extends ScenarioSuite {
  /** Apart from the test class, whose static container would ask Docker as the class loads. */
  static final class Docker {
    private Docker() {}

    static boolean configured() {
      String host = System.getenv("DOCKER_HOST");
      return (host != null && !host.isEmpty())
          || Files.exists(Path.of("/var/run/docker.sock"))
          || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
          || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    }
  }

  @Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  @Override
  protected TestCluster createCluster() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "scenario-runs", "k3s"));
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, K3S.getKubeConfigYaml());
    ApiClient client = ClientBuilder.kubeconfig(
        KubeConfig.loadKubeConfig(new StringReader(K3S.getKubeConfigYaml()))).build();
    LocalOperators operators = new LocalOperators(kubeconfig, dir,
        List.of("--tick-period", "2s", "--lease-namespace", "default", "--lease-duration", "4s"));
    RealCluster cluster = new RealCluster(new KubeApi(client, null)) {
      @Override
      public void setOperators(int n) throws Exception {
        operators.scale(n);
      }

      @Override
      public OptionalLong operatorWrites() throws Exception {
        return OptionalLong.of(operators.sum("workflow_operator_api_requests_total", "verb=\"create\"")
            + operators.sum("workflow_operator_api_requests_total", "verb=\"patch\"")
            + operators.sum("workflow_operator_api_requests_total", "verb=\"delete\""));
      }

      @Override
      public OptionalLong ticks() throws Exception {
        return OptionalLong.of(operators.sum("workflow_operator_ticks_total", null));
      }

      @Override
      public void close() throws Exception {
        operators.close();
        deleteNamespaces();
      }
    };
    cluster.ensureCrd();
    return cluster;
  }
}
