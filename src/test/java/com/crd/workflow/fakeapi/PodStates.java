package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pods the simulated Job controller and kubelet write: the pod a Job creates, and the pod
 * statuses a real kubelet and scheduler report. The image name picks the story:
 * {@code pull-fail} (and the older {@code unpullable}, {@code does-not-exist}) waits in
 * ImagePullBackOff, {@code unschedulable} is never scheduled, {@code oom} is OOMKilled (exit 137),
 * {@code exit-N} exits N, and {@code evicted-first-N} has its first N pods evicted.
 */
final class PodStates {
  static final String UNSCHEDULABLE_MESSAGE = "0/3 nodes are available: 3 Insufficient memory. "
      + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
  private static final Pattern EXIT = Pattern.compile("(?:^|[/-])exit-(\\d+)(?:$|[:@-])");
  private static final Pattern OOM = Pattern.compile("(?:^|[/-])oom(?:$|[:@-])");
  private static final Pattern EVICTED = Pattern.compile("evicted-first-(\\d+)");

  private PodStates() {}

  static boolean pullFails(String image) {
    return image != null && (image.contains("pull-fail") || image.contains("unpullable")
        || image.contains("does-not-exist"));
  }

  static boolean unschedulable(String image) {
    return image != null && image.contains("unschedulable");
  }

  static boolean oom(String image) {
    return image != null && OOM.matcher(image).find();
  }

  /** The exit code an {@code exit-N} image forces, else null. */
  static Integer exitCode(String image) {
    Matcher m = image == null ? null : EXIT.matcher(image);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : null;
  }

  /** N of an {@code evicted-first-N} image, else 0. */
  static int evictions(String image) {
    Matcher m = image == null ? null : EVICTED.matcher(image);
    return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /**
   * A new pod of {@code job}, as the Job controller creates it: the template's labels plus the
   * Job's name and uid, a controller ownerReference to the Job, the template's spec.
   */
  static JsonObject newPod(JsonObject job) {
    JsonObject template = Json.obj(Json.obj(job, "spec"), "template");
    JsonObject labels = new JsonObject();
    JsonObject templateLabels = Json.obj(Json.obj(template, "metadata"), "labels");
    if (templateLabels != null) {
      templateLabels.entrySet().forEach(e -> labels.add(e.getKey(), e.getValue()));
    }
    labels.addProperty("batch.kubernetes.io/controller-uid", Json.uid(job));
    labels.addProperty("batch.kubernetes.io/job-name", Json.name(job));
    labels.addProperty("controller-uid", Json.uid(job));
    labels.addProperty("job-name", Json.name(job));
    JsonObject owner = new JsonObject();
    owner.addProperty("apiVersion", "batch/v1");
    owner.addProperty("kind", "Job");
    owner.addProperty("name", Json.name(job));
    owner.addProperty("uid", Json.uid(job));
    owner.addProperty("controller", true);
    owner.addProperty("blockOwnerDeletion", true);
    JsonArray owners = new JsonArray();
    owners.add(owner);
    JsonObject meta = new JsonObject();
    meta.addProperty("generateName", Json.name(job) + "-");
    meta.addProperty("namespace", Json.namespace(job));
    meta.add("labels", labels);
    meta.add("ownerReferences", owners);
    JsonObject pod = new JsonObject();
    pod.addProperty("apiVersion", "v1");
    pod.addProperty("kind", "Pod");
    pod.add("metadata", meta);
    JsonObject spec = Json.obj(template, "spec");
    pod.add("spec", spec == null ? new JsonObject() : spec.deepCopy());
    return pod;
  }

  static JsonObject pending(String container, String image) {
    JsonObject status = status("Pending", true);
    if (unschedulable(image)) {
      JsonObject scheduled = condition("PodScheduled", "False");
      scheduled.addProperty("reason", "Unschedulable");
      scheduled.addProperty("message", UNSCHEDULABLE_MESSAGE);
      JsonArray conditions = new JsonArray();
      conditions.add(scheduled);
      status.add("conditions", conditions);
      status.remove("containerStatuses");
      return status;
    }
    JsonObject waiting = new JsonObject();
    if (pullFails(image)) {
      waiting.addProperty("reason", "ImagePullBackOff");
      waiting.addProperty("message", "Back-off pulling image \"" + image + "\": ErrImagePull: "
          + "rpc error: code = NotFound desc = failed to pull and unpack image \"" + image
          + "\": not found");
    } else {
      waiting.addProperty("reason", "ContainerCreating");
    }
    status.add("containerStatuses", containerStatus(container, image, "waiting", waiting));
    return status;
  }

  static JsonObject running(String container, String image, Instant started) {
    JsonObject status = status("Running", true);
    status.addProperty("startTime", Json.time(started));
    JsonObject running = new JsonObject();
    running.addProperty("startedAt", Json.time(started));
    status.add("containerStatuses", containerStatus(container, image, "running", running));
    return status;
  }

  /** The container ended: {@code reason} is Completed, Error or OOMKilled, as a kubelet says. */
  static JsonObject terminated(String container, String image, Instant started, Instant now,
      int exitCode, boolean oom) {
    JsonObject status = status(exitCode == 0 ? "Succeeded" : "Failed", true);
    status.addProperty("startTime", Json.time(started));
    status.add("containerStatuses", containerStatus(container, image, "terminated",
        terminatedState(started, now, exitCode, exitCode == 0 ? "Completed" : oom ? "OOMKilled" : "Error")));
    return status;
  }

  /** Evicted by the kubelet (node pressure): DisruptionTarget, as Kubernetes 1.26+ sets it. */
  static JsonObject evicted(String container, String image, Instant started, Instant now) {
    JsonObject status = status("Failed", true);
    status.addProperty("reason", "Evicted");
    status.addProperty("message", "The node was low on resource: memory.");
    JsonObject disruption = condition("DisruptionTarget", "True");
    disruption.addProperty("reason", "TerminationByKubelet");
    disruption.addProperty("message", "The node was low on resource: memory.");
    status.getAsJsonArray("conditions").add(disruption);
    status.add("containerStatuses", containerStatus(container, image, "terminated",
        terminatedState(started, now, 137, "Error")));
    return status;
  }

  /** True when the Job's podFailurePolicy ignores a pod with a DisruptionTarget condition. */
  static boolean ignoresDisruption(JsonObject jobSpec) {
    JsonArray rules = Json.array(Json.obj(jobSpec, "podFailurePolicy"), "rules");
    for (var r : rules == null ? new JsonArray() : rules) {
      JsonObject rule = r.getAsJsonObject();
      JsonArray on = Json.array(rule, "onPodConditions");
      if (on == null) {
        continue;
      }
      for (var c : on) {
        String st = Json.str(c.getAsJsonObject(), "status");
        if ("DisruptionTarget".equals(Json.str(c.getAsJsonObject(), "type"))
            && (st == null || "True".equals(st))) {
          return "Ignore".equals(Json.str(rule, "action"));
        }
      }
    }
    return false;
  }

  private static JsonObject terminatedState(Instant started, Instant now, int exitCode, String reason) {
    JsonObject t = new JsonObject();
    t.addProperty("exitCode", exitCode);
    t.addProperty("reason", reason);
    t.addProperty("startedAt", Json.time(started));
    t.addProperty("finishedAt", Json.time(now));
    return t;
  }

  private static JsonObject status(String phase, boolean scheduled) {
    JsonObject status = new JsonObject();
    status.addProperty("phase", phase);
    JsonArray conditions = new JsonArray();
    if (scheduled) {
      conditions.add(condition("PodScheduled", "True"));
    }
    status.add("conditions", conditions);
    return status;
  }

  private static JsonObject condition(String type, String value) {
    JsonObject c = new JsonObject();
    c.addProperty("type", type);
    c.addProperty("status", value);
    return c;
  }

  private static JsonArray containerStatus(String name, String image, String state, JsonObject detail) {
    JsonObject s = new JsonObject();
    s.addProperty("name", name);
    s.addProperty("image", image);
    s.addProperty("ready", state.equals("running"));
    s.addProperty("restartCount", 0);
    JsonObject st = new JsonObject();
    st.add(state, detail);
    s.add("state", st);
    JsonArray a = new JsonArray();
    a.add(s);
    return a;
  }
}
