package com.crd.workflow.scenarios;

import com.crd.workflow.core.Names;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds Workflow objects and reads them back, for scenarios. */
public final class Workflows {
  private final KubeApi api;
  private final String image;

  public Workflows(KubeApi api, String image) {
    this.api = api;
    this.image = image;
  }

  /** A step: name, a shell script (null = the image's default command) and dependencies. */
  public record StepDef(String name, String script, List<String> dependsOn) {}

  public static StepDef step(String name, String script, String... deps) {
    return new StepDef(name, script, List.of(deps));
  }

  public JsonObject workflow(String ns, String name, long timeout, Map<String, String> labels,
      List<StepDef> steps) {
    JsonObject o = new JsonObject();
    o.addProperty("apiVersion", Names.GROUP + "/" + Names.VERSION);
    o.addProperty("kind", Names.KIND);
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    meta.addProperty("namespace", ns);
    JsonObject l = new JsonObject();
    labels.forEach(l::addProperty);
    meta.add("labels", l);
    o.add("metadata", meta);
    o.add("spec", spec(timeout, steps));
    return o;
  }

  public JsonObject spec(long timeout, List<StepDef> steps) {
    JsonObject spec = new JsonObject();
    spec.addProperty("maxStepTimeout", timeout);
    JsonArray containers = new JsonArray();
    for (StepDef s : steps) {
      JsonObject c = new JsonObject();
      c.addProperty("stepName", s.name());
      c.addProperty("image", image);
      if (s.script() == null) {
        c.add("command", JsonNull.INSTANCE);
      } else {
        c.add("command", Json.array(List.of("sh", "-c", s.script())));
      }
      c.add("dependsOn", Json.array(s.dependsOn()));
      containers.add(c);
    }
    spec.add("containers", containers);
    return spec;
  }

  public JsonObject create(JsonObject wf) throws ApiException {
    return api.create(Paths.workflows(Json.str(wf, "metadata", "namespace")), wf);
  }

  public JsonObject get(String ns, String name) throws ApiException {
    return api.get(Paths.workflow(ns, name));
  }

  /** {@code workflow-status}, or "" when the status is not written yet. */
  public String status(String ns, String name) throws ApiException {
    String s = Json.str(get(ns, name), "status", "workflow-status");
    return s == null ? "" : s;
  }

  /** Polls until the workflow reaches {@code phase}; a timeout shows its last message. */
  public void awaitStatus(String ns, String name, String phase, java.time.Duration atMost) {
    org.awaitility.Awaitility.await().atMost(atMost).pollInterval(java.time.Duration.ofMillis(200))
        .ignoreExceptions().untilAsserted(() -> org.junit.jupiter.api.Assertions.assertEquals(phase,
            status(ns, name), () -> {
              try {
                return message(ns, name);
              } catch (Exception e) {
                return e.toString();
              }
            }));
  }

  public String message(String ns, String name) throws ApiException {
    return String.valueOf(Json.str(get(ns, name), "status", "message"));
  }

  public void delete(String ns, String name) throws ApiException {
    api.delete(Paths.workflow(ns, name));
  }

  public void setLabels(String ns, String name, Map<String, String> labels, List<String> remove)
      throws ApiException {
    JsonObject l = new JsonObject();
    labels.forEach(l::addProperty);
    remove.forEach(k -> l.add(k, JsonNull.INSTANCE));
    JsonObject meta = new JsonObject();
    meta.add("labels", l);
    JsonObject patch = new JsonObject();
    patch.add("metadata", meta);
    api.mergePatch(Paths.workflow(ns, name), patch);
  }

  public void setSpec(String ns, String name, JsonObject spec) throws ApiException {
    JsonObject patch = new JsonObject();
    patch.add("spec", spec);
    api.mergePatch(Paths.workflow(ns, name), patch);
  }

  /** Managed Jobs in a namespace, by name. */
  public Map<String, JsonObject> jobs(String ns) throws ApiException {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (JsonObject j : api.list(Paths.jobs(ns), Names.MANAGED_SELECTOR)) {
      out.put(Json.str(j, "metadata", "name"), j);
    }
    return out;
  }

  /** Managed Jobs of one workflow (by its name label), not being deleted. */
  public List<JsonObject> jobsOf(String ns, String workflow) throws ApiException {
    return jobs(ns).values().stream()
        .filter(j -> workflow.equals(Json.strings(j, "metadata", "labels").get(Names.LABEL_WORKFLOW)))
        .filter(j -> Json.at(j, "metadata", "deletionTimestamp") == null)
        .toList();
  }

  public static String step(JsonObject job) {
    return Json.strings(job, "metadata", "labels").get(Names.LABEL_STEP);
  }
}
