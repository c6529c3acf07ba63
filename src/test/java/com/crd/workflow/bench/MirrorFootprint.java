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
    StringBuilder podPage = new StringBuilder();
    List<com.crd.workflow.core.PodStory> pods = new ArrayList<>();
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
        // Each Job's pod: all succeeded, and the first step's also has a failed pod before it.
        podPage.setLength(0);
        podPage.append("{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[")
            .append(pod(job, now, 0, "Completed"));
        if (own.size() == 1) {
          podPage.append(",").append(pod(job, now, 1, "Error"));
        }
        Decode.list(new StringReader(podPage.append("]}").toString()), Decode.PODS, pods::add,
            bad -> { });
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
    if (!Boolean.getBoolean("bench.noPods")) {
      pods.forEach(mirror::putPod);
    }
    wfs.clear();
    jobs.clear();
    pods.clear();
    long used = usedAfterGc() - base;
    System.out.printf("mirror of %,d workflows, %,d Jobs and %,d pods (%,d kept: one failed pod per"
        + " workflow): %.1f MB (%.0f bytes per workflow with its 10 Jobs)%n",
        n, n * 10, n * 11, mirror.pods().size(), used / 1e6, used / (double) n);
    System.out.println(mirror.workflows().size()); // keeps the mirror reachable until here
  }

  /** A pod as the kubelet leaves it: the Job's template plus labels, owner and a final status. */
  private static JsonObject pod(JsonObject job, Instant now, int exitCode, String reason) {
    JsonObject meta = job.getAsJsonObject("metadata");
    JsonObject template = job.getAsJsonObject("spec").getAsJsonObject("template");
    JsonObject labels = template.getAsJsonObject("metadata").getAsJsonObject("labels").deepCopy();
    labels.addProperty("job-name", meta.get("name").getAsString());
    labels.addProperty("batch.kubernetes.io/job-name", meta.get("name").getAsString());
    labels.addProperty("controller-uid", meta.get("uid").getAsString());
    JsonObject pod = JsonParser.parseString("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"ownerReferences":[{"apiVersion":"batch/v1",
         "kind":"Job","controller":true}]},
         "status":{"phase":"%s","conditions":[{"type":"PodScheduled","status":"True"}],
          "containerStatuses":[{"name":"c","image":"busybox:1.36","ready":false,"restartCount":0,
           "state":{"terminated":{"exitCode":%d,"reason":"%s","startedAt":"%s","finishedAt":"%s"}}}]}}
        """.formatted(exitCode == 0 ? "Succeeded" : "Failed", exitCode, reason, now, now))
        .getAsJsonObject();
    JsonObject pm = pod.getAsJsonObject("metadata");
    pm.addProperty("name", meta.get("name").getAsString() + "-" + exitCode + "x7k2p");
    pm.addProperty("namespace", "bench");
    pm.addProperty("uid", UUID.randomUUID().toString());
    pm.addProperty("resourceVersion", "1");
    pm.addProperty("creationTimestamp", now.plusSeconds(exitCode == 0 ? 10 : 0).toString());
    pm.add("labels", labels);
    pod.add("spec", template.getAsJsonObject("spec").deepCopy());
    return pod;
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
