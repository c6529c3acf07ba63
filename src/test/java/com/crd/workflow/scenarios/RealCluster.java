package com.crd.workflow.scenarios;

import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** What every real API server needs: the CRD installed, a namespace per test, cleanup. */
public abstract class RealCluster implements TestCluster {
  protected final KubeApi api;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();

  protected RealCluster(KubeApi api) {
    this.api = api;
  }

  @Override
  public KubeApi api() {
    return api;
  }

  @Override
  public String image() {
    return "busybox:1.36";
  }

  @Override
  public int slowdown() {
    return 4; // pods are scheduled, pulled and started for real
  }

  /** Installs crd/workflow.yaml unless present and waits until it is Established. */
  public void ensureCrd() throws Exception {
    String path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    Object yaml = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("crd", "workflow.yaml")));
    JsonObject crd = new Gson().toJsonTree(yaml).getAsJsonObject();
    String name = Json.str(crd, "metadata", "name");
    try {
      api.create(path, crd);
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    Awaitility.await("CRD established").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> Json.objects(api.get(path + "/" + name), "status", "conditions").stream()
            .anyMatch(c -> "Established".equals(Json.str(c, "type"))
                && "True".equals(Json.str(c, "status"))));
  }

  @Override
  public String newNamespace(String prefix) throws Exception {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    JsonObject ns = new JsonObject();
    ns.addProperty("apiVersion", "v1");
    ns.addProperty("kind", "Namespace");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    JsonObject labels = new JsonObject();
    labels.addProperty("workflow-operator-test", "true");
    meta.add("labels", labels);
    ns.add("metadata", meta);
    api.create("/api/v1/namespaces", ns);
    namespaces.add(name);
    return name;
  }

  /** Deletes the namespaces this run created; the API server removes their contents. */
  protected void deleteNamespaces() {
    for (String ns : namespaces) {
      try {
        api.delete("/api/v1/namespaces/" + ns);
      } catch (ApiException e) {
        if (e.getCode() != 404) {
          System.err.println("could not delete namespace " + ns + ": " + e.getMessage());
        }
      }
    }
    namespaces.clear();
  }
}
