package com.crd.workflow.ui;

import com.crd.workflow.core.Names;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.Json;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * examples/diamond.yaml in the in-process API with the status and Jobs the operator would have
 * written mid-run: a succeeded, b running its second attempt, c running, d waiting. Times are
 * fixed (T0 + seconds) so a test can render them with a fixed clock.
 */
public final class RunningDiamond {
  public static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private RunningDiamond() {}

  public static JsonObject manifest(String ns, String name) throws Exception {
    Object yaml = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("examples/diamond.yaml")));
    JsonObject o = new Gson().toJsonTree(yaml).getAsJsonObject();
    Json.obj(o, "metadata").addProperty("name", name);
    Json.obj(o, "metadata").addProperty("namespace", ns);
    return o;
  }

  static String t(int seconds) {
    return T0.plusSeconds(seconds).toString();
  }

  /** Creates it mid-run; returns the stored Workflow. */
  public static JsonObject create(FakeApiServer server, String ns, String name) throws Exception {
    JsonObject wf = server.create("workflows", ns, manifest(ns, name));
    String uid = Json.str(wf, "metadata", "uid");
    String hash = Names.specHash(Convert.workflow(wf).spec());
    job(server, ns, name, uid, hash, "a", "\"succeeded\":1");
    job(server, ns, name, uid, hash, "b", "\"failed\":1,\"active\":1");
    job(server, ns, name, uid, hash, "c", "\"active\":1");
    status(server, ns, name, uid, hash, """
        "workflow-status":"Started","status-changed":"%s","message":"running: b, c","progress":"1/4",
        "executedSteps":["a"],"startedSteps":["a","b","c"],"steps":[
          {"name":"a","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"b","state":"Running","job":"%s","startedAt":"%s"},
          {"name":"c","state":"Running","job":"%s","startedAt":"%s"},
          {"name":"d","state":"Waiting"}]
        """.formatted(t(0), job(name, uid, hash, "a"), t(0), t(2), job(name, uid, hash, "b"), t(3),
        job(name, uid, hash, "c"), t(3)));
    return server.get("workflows", ns, name);
  }

  /** b and c succeeded, d runs: what the next ticks would write. */
  public static void advance(FakeApiServer server, String ns, String name) {
    JsonObject wf = server.get("workflows", ns, name);
    String uid = Json.str(wf, "metadata", "uid");
    String hash = Names.specHash(Convert.workflow(wf).spec());
    status(server, ns, name, uid, hash, """
        "workflow-status":"Started","status-changed":"%s","message":"running: d","progress":"3/4",
        "executedSteps":["a","b","c"],"startedSteps":["a","b","c","d"],"steps":[
          {"name":"a","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"b","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"c","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"d","state":"Running","job":"%s","startedAt":"%s"}]
        """.formatted(t(0), job(name, uid, hash, "a"), t(0), t(2), job(name, uid, hash, "b"), t(3),
        t(9), job(name, uid, hash, "c"), t(3), t(4), job(name, uid, hash, "d"), t(9)));
  }

  /** Completed: all four succeeded. */
  public static void complete(FakeApiServer server, String ns, String name) {
    JsonObject wf = server.get("workflows", ns, name);
    String uid = Json.str(wf, "metadata", "uid");
    String hash = Names.specHash(Convert.workflow(wf).spec());
    status(server, ns, name, uid, hash, """
        "workflow-status":"Completed","status-changed":"%s","message":"all 4 steps succeeded","progress":"4/4",
        "executedSteps":["a","b","c","d"],"startedSteps":["a","b","c","d"],"steps":[
          {"name":"a","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"b","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"c","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"},
          {"name":"d","state":"Succeeded","job":"%s","startedAt":"%s","finishedAt":"%s"}]
        """.formatted(t(10), job(name, uid, hash, "a"), t(0), t(2), job(name, uid, hash, "b"), t(3),
        t(9), job(name, uid, hash, "c"), t(3), t(4), job(name, uid, hash, "d"), t(9), t(10)));
  }

  static String job(String name, String uid, String hash, String step) {
    return Names.jobName(name, uid, step, hash);
  }

  private static void status(FakeApiServer server, String ns, String name, String uid, String hash,
      String fields) {
    long generation = Json.num(server.get("workflows", ns, name), 1, "metadata", "generation");
    server.mergePatchStatus("workflows", ns, name, "{\"status\":{" + fields
        + ",\"specHash\":\"" + hash + "\",\"observedGeneration\":" + generation + "}}");
  }

  private static void job(FakeApiServer server, String ns, String name, String uid, String hash,
      String step, String counters) {
    String job = job(name, uid, hash, step);
    server.create("jobs", ns, JsonParser.parseString("""
        {"metadata":{"name":"%s","labels":{"%s":"%s","%s":"%s","%s":"%s","%s":"%s"}},
         "spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"Never",
           "containers":[{"name":"step","image":"busybox:1.36"}]}}}}
        """.formatted(job, Names.LABEL_MANAGED_BY, Names.MANAGER, Names.LABEL_WORKFLOW_UID, uid,
        Names.LABEL_STEP, step, Names.LABEL_SPEC_HASH, hash)).getAsJsonObject());
    server.mergePatchStatus("jobs", ns, job, "{\"status\":{" + counters + "}}");
  }
}
