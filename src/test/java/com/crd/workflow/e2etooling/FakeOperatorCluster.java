package com.crd.workflow.e2etooling;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of an API server for KubeContextCluster: the operator Deployment with a tiny
 * ReplicaSet controller (pods become Ready after a delay; scale-down deletes gracefully, taking
 * the pod's whole grace period), the CRD, and namespaces. Records every request.
 */
final class FakeOperatorCluster implements AutoCloseable {
  static final String DEPLOYMENT = "/apis/apps/v1/namespaces/workflow-operator/deployments/workflow-operator";
  static final String PODS = "/api/v1/namespaces/workflow-operator/pods";
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private static final class Pod {
    final long readyAt;
    long goneAt = Long.MAX_VALUE; // set when deleted gracefully

    Pod(long readyAt) {
      this.readyAt = readyAt;
    }

    boolean terminating() {
      return goneAt != Long.MAX_VALUE;
    }
  }

  private final HttpServer http;
  private final boolean hasDeployment;
  private final Duration readyDelay;
  private final Duration gracePeriod;
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final List<String> requests = new ArrayList<>();
  private int replicas;
  private int made;

  FakeOperatorCluster(boolean hasDeployment, int replicas, Duration readyDelay, Duration gracePeriod)
      throws IOException {
    this.hasDeployment = hasDeployment;
    this.replicas = replicas;
    this.readyDelay = readyDelay;
    this.gracePeriod = gracePeriod;
    for (int i = 0; i < replicas; i++) {
      pods.put("operator-" + (made++), new Pod(0)); // already Ready
    }
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.createContext("/", this::handle);
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  synchronized void clearRequests() {
    requests.clear();
  }

  synchronized int replicas() {
    return replicas;
  }

  /** [all pods, terminating pods, Ready non-terminating pods] */
  synchronized int[] podCounts() {
    reconcile();
    long now = System.nanoTime();
    int terminating = (int) pods.values().stream().filter(Pod::terminating).count();
    int ready = (int) pods.values().stream().filter(p -> !p.terminating() && now >= p.readyAt).count();
    return new int[] {pods.size(), terminating, ready};
  }

  private void reconcile() {
    long now = System.nanoTime();
    pods.values().removeIf(p -> now >= p.goneAt);
    List<String> live = pods.entrySet().stream().filter(e -> !e.getValue().terminating())
        .map(Map.Entry::getKey).toList();
    for (int i = live.size(); i < replicas; i++) {
      pods.put("operator-" + (made++), new Pod(now + readyDelay.toNanos()));
    }
    for (int i = replicas; i < live.size(); i++) {
      pods.get(live.get(i)).goneAt = now + gracePeriod.toNanos();
    }
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String query = ex.getRequestURI().getQuery();
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(method + " " + path + (query == null ? "" : "?" + query));
    reconcile();
    try {
      if (path.equals(DEPLOYMENT) && hasDeployment && method.equals("GET")) {
        reply(ex, 200, deployment());
      } else if (path.equals(DEPLOYMENT) && hasDeployment && method.equals("PATCH")) {
        replicas = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("spec").get("replicas").getAsInt();
        reconcile();
        reply(ex, 200, deployment());
      } else if (path.equals(PODS) && method.equals("GET")) {
        reply(ex, 200, podList());
      } else if (path.startsWith(PODS + "/") && method.equals("DELETE")) {
        Pod p = pods.get(path.substring(PODS.length() + 1));
        if (p == null) {
          reply(ex, 404, status(404, "pod not found"));
          return;
        }
        boolean force = "gracePeriodSeconds=0".equals(query)
            || body.contains("\"gracePeriodSeconds\":0");
        if (force) {
          pods.values().remove(p);
        } else if (!p.terminating()) {
          p.goneAt = System.nanoTime() + gracePeriod.toNanos();
        }
        reply(ex, 200, new JsonObject());
      } else if (path.equals(CRDS) && method.equals("POST")) {
        reply(ex, 201, JsonParser.parseString(body).getAsJsonObject());
      } else if (path.startsWith(CRDS + "/") && method.equals("GET")) {
        reply(ex, 200, JsonParser.parseString(
            "{\"status\":{\"conditions\":[{\"type\":\"Established\",\"status\":\"True\"}]}}").getAsJsonObject());
      } else if (path.equals("/api/v1/namespaces") && method.equals("POST")) {
        reply(ex, 201, JsonParser.parseString(body).getAsJsonObject());
      } else if (path.startsWith("/api/v1/namespaces/") && method.equals("DELETE")) {
        reply(ex, 200, new JsonObject());
      } else {
        reply(ex, 404, status(404, method + " " + path + " not found"));
      }
    } catch (RuntimeException e) {
      reply(ex, 500, status(500, e.toString()));
    }
  }

  private JsonObject deployment() {
    JsonObject spec = new JsonObject();
    spec.addProperty("replicas", replicas);
    JsonObject d = new JsonObject();
    d.add("spec", spec);
    return d;
  }

  private JsonObject podList() {
    long now = System.nanoTime();
    JsonArray items = new JsonArray();
    pods.forEach((name, p) -> {
      JsonObject meta = new JsonObject();
      meta.addProperty("name", name);
      if (p.terminating()) {
        meta.addProperty("deletionTimestamp", Instant.now().toString());
      }
      JsonObject ready = new JsonObject();
      ready.addProperty("type", "Ready");
      ready.addProperty("status", now >= p.readyAt && !p.terminating() ? "True" : "False");
      JsonArray conditions = new JsonArray();
      conditions.add(ready);
      JsonObject status = new JsonObject();
      status.add("conditions", conditions);
      JsonObject pod = new JsonObject();
      pod.add("metadata", meta);
      pod.add("status", status);
      items.add(pod);
    });
    JsonObject list = new JsonObject();
    list.add("items", items);
    list.add("metadata", new JsonObject());
    return list;
  }

  private static JsonObject status(int code, String message) {
    JsonObject s = new JsonObject();
    s.addProperty("kind", "Status");
    s.addProperty("code", code);
    s.addProperty("message", message);
    return s;
  }

  private static void reply(HttpExchange ex, int code, JsonObject body) throws IOException {
    byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
