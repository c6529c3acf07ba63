package com.crd.workflow.bench;

import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.Decode;
import com.crd.workflow.kube.JobSpecs;
import com.crd.workflow.kube.Json;
import com.crd.workflow.observe.Mirror;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code make bench} (part): the heap the mirror needs per workflow and per Job, measured by
 * decoding realistic LIST pages (the Jobs the operator itself creates, Complete, and the statuses
 * it writes) into a mirror and weighing the heap after GC. Prints numbers; asserts nothing.
 */
public final class MirrorFootprint {
  private MirrorFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Mirror mirror = new Mirror(() -> { });
    long base = usedAfterGc();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<Workflow> wfs = new ArrayList<>();
    StringBuilder jobPage = new StringBuilder();
    List<ObservedJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject wfJson = workflowJson("wf-" + i);
      Workflow wf = Convert.workflow(wfJson);
      String hash = com.crd.workflow.core.Names.specHash(wf.spec());
      List<ObservedJob> own = new ArrayList<>();
      jobPage.setLength(0);
      jobPage.append("{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[");
      for (Step s : wf.spec().steps()) {
        JsonObject job = JobSpecs.desiredJobJson(Planner.createJob(wf, s, hash));
        JsonObject meta = job.getAsJsonObject("metadata");
        meta.addProperty("namespace", "bench");
        meta.addProperty("uid", UUID.randomUUID().toString());
        meta.addProperty("resourceVersion", String.valueOf(1_000_000 + i * 10 + own.size()));
        meta.addProperty("creationTimestamp", now.toString());
        job.add("status", JsonParser.parseString(ScaleBench.completeStatus(now)).getAsJsonObject()
            .get("status"));
        jobPage.append(own.isEmpty() ? "" : ",").append(job);
        own.add(Convert.job(job));
      }
      jobPage.append("]}");
      Decode.list(new StringReader(jobPage.toString()), Decode.JOBS, jobs::add, bad -> { });
      Plan p = Planner.plan(wf, own, now);
      wfJson.add("status", Convert.toJson(p.status()));
      String line = "{\"type\":\"ADDED\",\"object\":" + wfJson + "}";
      wfs.add(Decode.event(line, Decode.WORKFLOWS).object());
    }
    mirror.replaceWorkflows(null, wfs);
    mirror.replaceJobs(null, jobs);
    wfs.clear();
    jobs.clear();
    long used = usedAfterGc() - base;
    System.out.printf("mirror of %,d workflows and %,d Jobs: %.1f MB (%.0f bytes per workflow with its 10 Jobs)%n",
        n, n * 10, used / 1e6, used / (double) n);
    System.out.println(mirror.workflows().size()); // keeps the mirror reachable until here
  }

  private static long usedAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static JsonObject workflowJson(String name) {
    JsonArray containers = new JsonArray();
    for (int i = 0; i < 10; i++) {
      JsonObject c = new JsonObject();
      c.addProperty("stepName", "s" + i);
      c.addProperty("image", "busybox:1.36");
      JsonArray cmd = new JsonArray();
      cmd.add("sh");
      cmd.add("-c");
      cmd.add("echo s" + i);
      c.add("command", cmd);
      JsonArray deps = new JsonArray();
      if (i > 0) {
        deps.add("s" + (i - 1));
      }
      c.add("dependsOn", deps);
      containers.add(c);
    }
    JsonObject spec = new JsonObject();
    spec.addProperty("maxStepTimeout", 600);
    spec.add("containers", containers);
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    meta.addProperty("namespace", "bench");
    meta.addProperty("uid", UUID.randomUUID().toString());
    meta.addProperty("generation", 1);
    meta.addProperty("resourceVersion", "7");
    JsonObject labels = new JsonObject();
    labels.addProperty("team", "bench");
    meta.add("labels", labels);
    JsonObject wf = new JsonObject();
    wf.addProperty("apiVersion", "workflow.crd.com/v1");
    wf.addProperty("kind", "Workflow");
    wf.add("metadata", meta);
    wf.add("spec", spec);
    return wf;
  }
}
