package com.crd.workflow.e2e;

import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.scenarios.RealCluster;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.util.ClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import okhttp3.Call;
import okhttp3.Response;
import org.awaitility.Awaitility;

/**
 * The cluster of the current kube context (make e2e points it at the Kind cluster), with the
 * operator running inside it as the Deployment from deploy/. Tests scale that Deployment; scaling
 * to zero force-deletes the operator pods, which is the "operator restart mid-run" scenario.
 */
public final class KubeContextCluster extends RealCluster {
  public static final String NAMESPACE = "workflow-operator";
  public static final String DEPLOYMENT = "workflow-operator";
  public static final String POD_SELECTOR = "app.kubernetes.io/name=workflow-operator";
  static final String DEPLOYMENT_PATH =
      "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments/" + DEPLOYMENT;
  static final String PODS_PATH = "/api/v1/namespaces/" + NAMESPACE + "/pods";
  /** Pulling nothing (the image is loaded into Kind), a JVM start and informer sync. */
  private static final Duration SCALE_DEADLINE = Duration.ofSeconds(180);

  private KubeContextCluster(KubeApi api) {
    super(api);
  }

  /** Connects to the current kube context ($KUBECONFIG, ~/.kube/config or in-cluster). */
  public static KubeContextCluster fromCurrentContext() throws Exception {
    ApiClient client = ClientBuilder.standard().build();
    client.setReadTimeout(30_000);
    return connect(client);
  }

  /** Connects through {@code client}; the operator must be deployed there already. */
  public static KubeContextCluster connect(ApiClient client) throws Exception {
    KubeContextCluster cluster = new KubeContextCluster(new KubeApi(client, null));
    cluster.requireOperatorDeployment();
    cluster.ensureCrd();
    return cluster;
  }

  private void requireOperatorDeployment() throws ApiException {
    try {
      api.get(DEPLOYMENT_PATH);
    } catch (ApiException e) {
      String where = "the current kube context (" + api.client().getBasePath() + ")";
      throw new IllegalStateException(e.getCode() == 404
          ? where + " has no Deployment " + NAMESPACE + "/" + DEPLOYMENT
              + ": deploy the operator first (make e2e does: kubectl apply -k deploy/)"
          : "cannot read the operator Deployment in " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void setOperators(int n) throws Exception {
    if (replicas() == n && readyPods() == n && (n > 0 || pods().isEmpty())) {
      return; // the common case: called before every test (a pod still terminating is fine)
    }
    JsonObject spec = new JsonObject();
    spec.addProperty("replicas", n);
    JsonObject patch = new JsonObject();
    patch.add("spec", spec);
    api.mergePatch(DEPLOYMENT_PATH, patch);
    if (n == 0) {
      // A crash, not a graceful stop: no grace period for the operator to finish its tick. Every
      // poll force-deletes what is left, including a pod the ReplicaSet made before it saw 0.
      Awaitility.await("no operator pod left").atMost(SCALE_DEADLINE)
          .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> {
            List<JsonObject> left = pods();
            for (JsonObject pod : left) {
              forceDelete(PODS_PATH + "/" + Json.str(pod, "metadata", "name"));
            }
            return left.isEmpty();
          });
    } else {
      Awaitility.await(n + " operator pod(s) Ready").atMost(SCALE_DEADLINE)
          .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
          .until(() -> readyPods() == n);
    }
  }

  /** The cluster cannot attribute API writes to the operator: that scenario is skipped. */
  @Override
  public OptionalLong operatorWrites() {
    return OptionalLong.empty();
  }

  @Override
  public OptionalLong ticks() {
    return OptionalLong.empty();
  }

  @Override
  public void close() throws Exception {
    deleteNamespaces();
    JsonObject spec = new JsonObject();
    spec.addProperty("replicas", 1);
    JsonObject patch = new JsonObject();
    patch.add("spec", spec);
    api.mergePatch(DEPLOYMENT_PATH, patch); // leave the operator running, as deployed
  }

  private long replicas() throws ApiException {
    return Json.num(api.get(DEPLOYMENT_PATH), 1, "spec", "replicas");
  }

  /** Operator pods, including those being deleted. */
  private List<JsonObject> pods() throws ApiException {
    return api.list(PODS_PATH, POD_SELECTOR);
  }

  /** Operator pods that are Ready and not on their way out. */
  private long readyPods() throws ApiException {
    return pods().stream()
        .filter(p -> Json.at(p, "metadata", "deletionTimestamp") == null)
        .filter(p -> Json.objects(p, "status", "conditions").stream()
            .anyMatch(c -> "Ready".equals(Json.str(c, "type")) && "True".equals(Json.str(c, "status"))))
        .count();
  }

  /** DELETE with gracePeriodSeconds=0 (KubeApi's delete keeps the default grace period). */
  private void forceDelete(String path) throws ApiException {
    ApiClient c = api.client();
    byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"gracePeriodSeconds\":0,"
        + "\"propagationPolicy\":\"Background\"}").getBytes(StandardCharsets.UTF_8);
    Call call = c.buildCall(c.getBasePath(), path, "DELETE", List.of(new Pair("gracePeriodSeconds", "0")),
        List.of(), body, Map.of("Accept", "application/json", "Content-Type", "application/json"),
        Map.of(), Map.of(), new String[] {"BearerToken"}, null);
    try (Response r = call.execute()) {
      if (!r.isSuccessful() && r.code() != 404) {
        String text = r.body() == null ? "" : r.body().string();
        throw new ApiException(r.code(), "force-deleting " + path + ": HTTP " + r.code(),
            r.headers().toMultimap(), text);
      }
    } catch (IOException e) {
      throw new ApiException("DELETE " + path + ": " + e.getMessage(), e, 0, null, null);
    }
  }
}
