package com.crd.workflow.fakeapi;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shared helpers for the FakeApi* tests: real client-java clients and small object builders. */
final class FakeApiFixtures {
  static final String NS = "default";

  private FakeApiFixtures() {}

  /** A client built the way the operator builds one: from a kubeconfig file. */
  static ApiClient client(FakeApiServer server, Path dir) throws IOException {
    Path kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    try (Reader reader = Files.newBufferedReader(kubeconfig)) {
      return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
  }

  /** Watches hold the response open, so the client must not time out reading it. */
  static ApiClient watchClient(FakeApiServer server, Path dir) throws IOException {
    ApiClient client = client(server, dir);
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    return client;
  }

  static V1Job job(String name, String image, String... command) {
    V1Container container = new V1Container().name("step").image(image);
    if (command.length > 0) {
      container.command(List.of(command));
    }
    return new V1Job()
        .metadata(new V1ObjectMeta().name(name))
        .spec(new V1JobSpec()
            .template(new V1PodTemplateSpec()
                .spec(new V1PodSpec().restartPolicy("Never").containers(List.of(container)))));
  }

  static V1Job shellJob(String name, String script) {
    return job(name, "busybox:1.36", "sh", "-c", script);
  }

  /** A Workflow as CustomObjectsApi sends it: a plain map with apiVersion and kind. */
  static Map<String, Object> workflow(String name, Map<String, String> labels) {
    Map<String, Object> meta = new HashMap<>();
    meta.put("name", name);
    if (labels != null) {
      meta.put("labels", labels);
    }
    Map<String, Object> wf = new HashMap<>();
    wf.put("apiVersion", "workflow.crd.com/v1");
    wf.put("kind", "Workflow");
    wf.put("metadata", meta);
    wf.put("spec", Map.of("steps", List.of(Map.of("name", "a", "image", "busybox"))));
    return wf;
  }

  static JsonObject workflowJson(String name) {
    return Json.parse("{\"apiVersion\":\"workflow.crd.com/v1\",\"kind\":\"Workflow\",\"metadata\":{\"name\":\""
        + name + "\"},\"spec\":{\"steps\":[{\"name\":\"a\"}]}}").getAsJsonObject();
  }

  static ApiException assertApiError(int code, Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    if (e.getCode() != code) {
      throw new AssertionError("expected HTTP " + code + " but got " + e.getCode() + ": " + e.getResponseBody(), e);
    }
    return e;
  }

  /** The Status body of a failed call, parsed by the real client. */
  static V1Status status(ApiException e) {
    return io.kubernetes.client.openapi.JSON.deserialize(e.getResponseBody(), V1Status.class);
  }
}
