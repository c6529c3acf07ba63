package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Stands in for the Job controller, kubelet and container runtime together: it "runs" the first
 * container of each Job (see {@link JobScript}) against an injectable clock and writes the status
 * a Kubernetes 1.31+ Job would get, through the store, so clients see ordinary MODIFIED events.
 *
 * <p>Failed attempts are retried at once (a real controller backs off 10 s, 20 s, ...) until more
 * than {@code spec.backoffLimit} have failed. Images named like {@code unpullable} or
 * {@code does-not-exist} never start, so only {@code spec.activeDeadlineSeconds} ends such Jobs.
 *
 * <p>An image whose name contains {@code fails-first-N} stands for a flaky step: the first N pods
 * that run that container for the same owner (a Workflow, across all its Jobs) exit 1, later ones
 * run the script. A failed pod is matched against {@code spec.podFailurePolicy}'s {@code FailJob}
 * rules on exit codes ({@code In}/{@code NotIn}), which fail the Job at once with reason
 * {@code PodFailurePolicy}, as the real controller does.
 *
 * <p>Each attempt is a pod (see {@link PodStates}): labelled like the Job's template plus
 * {@code job-name}, owned by the Job, its status written as a kubelet would. {@code pull-fail}
 * and {@code unschedulable} pods never start; {@code oom} and {@code exit-N} set the container's
 * end; an evicted pod ({@code evicted-first-N}) gets condition DisruptionTarget and, if the Job's
 * podFailurePolicy ignores that condition, does not count as a failure: a new pod replaces it.
 * A Job that fails for its deadline keeps its pod (a real controller deletes it a moment later),
 * so the pod's last words stay readable.
 */
final class JobController implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(50);
  private static final Logger LOG = Logger.getLogger(JobController.class.getName());

  /** What the simulated pod is doing; lives only in memory, like a real pod's process. */
  private static final class Run {
    Instant jobStart;
    Instant attemptStart;
    int failed;
    int succeeded;
    String pod;
    boolean podRunning;
  }

  private final ObjectStore store;
  private final Clock clock;
  private final Map<String, Run> runs = new HashMap<>();
  /** Pods run so far per (namespace, owner uid, container), for {@code fails-first-N} images. */
  private final Map<String, Integer> podsRun = new HashMap<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fake-apiserver-job-controller");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean enabled = true;
  private volatile boolean paused;

  JobController(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void start() {
    executor.scheduleWithFixedDelay(() -> {
      if (enabled && !paused) {
        tick();
      }
    }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  void setPaused(boolean paused) {
    this.paused = paused;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** One reconcile pass over every Job; also callable from tests that drive a fake clock. */
  synchronized void tick() {
    try {
      Set<String> live = new HashSet<>();
      for (JsonObject job : store.snapshot(ResourceType.JOBS)) {
        live.add(Json.uid(job));
        reconcile(job);
      }
      runs.keySet().retainAll(live);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "job controller pass failed", e);
    }
  }

  private void reconcile(JsonObject job) {
    if (Json.hasDeletionTimestamp(job)) {
      return;
    }
    String ns = Json.namespace(job);
    String name = Json.name(job);
    String uid = Json.uid(job);
    if (Boolean.TRUE.equals(Json.bool(Json.obj(job, "spec"), "suspend"))) {
      // Held (by Kueue, or by a test standing in for it) until spec.suspend turns false.
      if (finishedAt(job) == null && !"True".equals(suspendedCondition(job))) {
        Run held = runs.remove(uid);
        if (held != null && held.pod != null) {
          deletePod(ns, held.pod); // suspending a Job deletes its active pods
        }
        Instant now = clock.instant();
        store.patchIfSameUid(ResourceType.JOBS, ns, name, uid, latest -> suspend(latest, now), ObjectStore.Target.STATUS);
      }
      return;
    }
    if (finishedAt(job) != null) {
      runs.remove(uid);
      collectIfTtlExpired(job);
      return;
    }
    Instant now = clock.instant();
    store.patchIfSameUid(ResourceType.JOBS, ns, name, uid, latest -> advance(latest, now),
        ObjectStore.Target.STATUS);
  }

  // Pods are written while the Job's status is computed, under the store's lock, so every pod
  // change is committed before the Job status it causes: as in a cluster, where the kubelet
  // reports a pod's end before the Job controller counts it.
  private void startPod(JsonObject job, Run run, String container, String image) {
    JsonObject pod = PodStates.newPod(job);
    String ns = Json.namespace(job);
    run.podRunning = false;
    try {
      JsonObject created = store.create(ResourceType.PODS, ns, pod);
      run.pod = Json.name(created);
      writePod(ns, run.pod, PodStates.pending(container, image));
    } catch (ApiError e) {
      LOG.log(Level.FINE, "pod not created", e);
    }
  }

  private void setPod(JsonObject job, Run run, JsonObject podStatus) {
    if (run.pod != null) {
      writePod(Json.namespace(job), run.pod, podStatus);
    }
  }

  private void writePod(String ns, String pod, JsonObject podStatus) {
    try {
      store.patch(ResourceType.PODS, ns, pod, p -> {
        p.add("status", podStatus);
        return p;
      }, ObjectStore.Target.STATUS);
    } catch (ApiError e) {
      // deleted meanwhile (the Job went, and its pods with it)
    }
  }

  private void deletePod(String ns, String pod) {
    try {
      store.delete(ResourceType.PODS, ns, pod, "Background", null);
    } catch (ApiError e) {
      // already gone
    }
  }

  /** Computes the next status from the latest stored Job, under the store lock. */
  private JsonObject advance(JsonObject job, Instant now) {
    if (finishedAt(job) != null) {
      return job;
    }
    JsonObject status = Json.obj(job, "status");
    if (status == null) {
      status = new JsonObject();
      job.add("status", status);
    }
    JsonObject spec = Json.obj(job, "spec");
    String uid = Json.uid(job);
    Run run = runs.get(uid);
    if ("True".equals(suspendedCondition(job))) {
      // Resumed: like the Job controller, record it and start the clock (and the deadline) now.
      setSuspended(status, "False", "JobResumed", "Job resumed", now);
      status.remove("startTime");
      runs.remove(uid);
      run = null;
    }
    JsonObject container = firstContainer(job);
    String image = Json.str(container, "image");
    String containerName = String.valueOf(Json.str(container, "name"));
    if (status.get("startTime") == null) {
      run = new Run();
      run.jobStart = now;
      run.attemptStart = now;
      runs.put(uid, run);
      startPod(job, run, containerName, image);
      status.addProperty("startTime", Json.time(now));
      status.addProperty("active", 1);
      status.addProperty("ready", 0);
      status.addProperty("terminating", 0);
      status.add("uncountedTerminatedPods", new JsonObject());
      return job;
    }
    if (run == null) {
      // Someone else set startTime (or the server was restarted): start a fresh attempt now.
      run = new Run();
      run.jobStart = Json.parseTime(Json.str(status, "startTime"));
      run.attemptStart = now;
      run.failed = intOr(status, "failed", 0);
      run.succeeded = intOr(status, "succeeded", 0);
      runs.put(uid, run);
      startPod(job, run, containerName, image);
    }
    Long deadline = Json.num(spec, "activeDeadlineSeconds");
    if (deadline != null && !now.isBefore(run.jobStart.plusSeconds(deadline))) {
      fail(status, now, run.failed + intOr(status, "active", 0), "DeadlineExceeded",
          "Job was active longer than specified deadline");
      return job;
    }
    if (PodStates.pullFails(image) || PodStates.unschedulable(image)) {
      return job; // ImagePullBackOff or no node: pending forever
    }
    if (!run.podRunning) {
      run.podRunning = true;
      setPod(job, run, PodStates.running(containerName, image, run.attemptStart));
    }
    status.addProperty("active", 1);
    status.addProperty("ready", 1);
    JobScript.Outcome outcome = JobScript.of(container);
    if (outcome.runsForever() || now.isBefore(run.attemptStart.plus(outcome.duration()))) {
      return job;
    }
    Instant podStart = run.attemptStart;
    run.attemptStart = now;
    int exitCode;
    if (evicted(job, container)) {
      setPod(job, run, PodStates.evicted(containerName, image, podStart, now));
      if (PodStates.ignoresDisruption(spec)) {
        startPod(job, run, containerName, image); // not the step's failure: not counted
        return job;
      }
      exitCode = 137;
    } else {
      Integer forced = PodStates.exitCode(image);
      exitCode = PodStates.oom(image) ? 137
          : flakyExitCode(job, container, forced != null ? forced : outcome.exitCode());
      setPod(job, run, PodStates.terminated(containerName, image, podStart, now, exitCode,
          PodStates.oom(image)));
    }
    if (exitCode == 0) {
      run.succeeded++;
      status.addProperty("succeeded", run.succeeded);
      if (run.succeeded >= intOr(spec, "completions", 1)) {
        succeed(status, now);
      } else {
        startPod(job, run, containerName, image);
      }
      return job;
    }
    run.failed++;
    status.addProperty("failed", run.failed);
    Integer rule = failJobRule(spec, exitCode);
    if (rule != null) {
      fail(status, now, run.failed, "PodFailurePolicy", "Container " + Json.str(container, "name")
          + " for pod " + Json.namespace(job) + "/" + Json.name(job) + "-pod failed with exit code "
          + exitCode + " matching FailJob rule at index " + rule);
      return job;
    }
    if (run.failed > intOr(spec, "backoffLimit", 6)) {
      fail(status, now, run.failed, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    } else {
      startPod(job, run, containerName, image);
    }
    return job;
  }

  /** Whether this pod is one of the first N of its owner's {@code evicted-first-N} container. */
  private boolean evicted(JsonObject job, JsonObject container) {
    int n = PodStates.evictions(Json.str(container, "image"));
    if (n == 0) {
      return false;
    }
    int before = podsRun.merge("evicted/" + Json.namespace(job) + "/" + owner(job) + "/"
        + Json.str(container, "name"), 1, Integer::sum) - 1;
    return before < n;
  }

  private static String owner(JsonObject job) {
    JsonArray refs = Json.array(Json.obj(job, "metadata"), "ownerReferences");
    return refs != null && !refs.isEmpty() ? Json.str(refs.get(0).getAsJsonObject(), "uid")
        : Json.uid(job);
  }

  private int flakyExitCode(JsonObject job, JsonObject container, int scripted) {
    String image = String.valueOf(Json.str(container, "image"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("fails-first-(\\d+)").matcher(image);
    if (!m.find()) {
      return scripted;
    }
    String owner = Json.uid(job);
    JsonArray refs = Json.array(Json.obj(job, "metadata"), "ownerReferences");
    if (refs != null && !refs.isEmpty()) {
      owner = Json.str(refs.get(0).getAsJsonObject(), "uid");
    }
    int before = podsRun.merge(Json.namespace(job) + "/" + owner + "/" + Json.str(container, "name"),
        1, Integer::sum) - 1;
    return before < Integer.parseInt(m.group(1)) ? 1 : scripted;
  }

  /** The index of the first podFailurePolicy FailJob rule the exit code matches, else null. */
  private static Integer failJobRule(JsonObject spec, int exitCode) {
    JsonArray rules = Json.array(Json.obj(spec, "podFailurePolicy"), "rules");
    if (rules == null) {
      return null;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonObject rule = rules.get(i).getAsJsonObject();
      JsonObject on = Json.obj(rule, "onExitCodes");
      if (on == null || !"FailJob".equals(Json.str(rule, "action"))) {
        continue;
      }
      boolean listed = false;
      JsonArray values = Json.array(on, "values");
      for (JsonElement v : values == null ? new JsonArray() : values) {
        listed |= v.getAsInt() == exitCode;
      }
      if ("In".equals(Json.str(on, "operator")) == listed) {
        return i;
      }
    }
    return null;
  }

  private static JsonObject suspend(JsonObject job, Instant now) {
    JsonObject status = Json.obj(job, "status");
    if (status == null) {
      status = new JsonObject();
      job.add("status", status);
    }
    status.remove("startTime");
    status.addProperty("active", 0);
    setSuspended(status, "True", "JobSuspended", "Job suspended", now);
    return job;
  }

  /** The status of the Job's Suspended condition, or null when it has none. */
  static String suspendedCondition(JsonObject job) {
    JsonArray conditions = Json.array(Json.obj(job, "status"), "conditions");
    if (conditions != null) {
      for (JsonElement e : conditions) {
        if ("Suspended".equals(Json.str(e.getAsJsonObject(), "type"))) {
          return Json.str(e.getAsJsonObject(), "status");
        }
      }
    }
    return null;
  }

  private static void setSuspended(JsonObject status, String value, String reason, String message, Instant now) {
    JsonArray conditions = Json.array(status, "conditions");
    JsonArray out = new JsonArray();
    if (conditions != null) {
      conditions.forEach(e -> {
        if (!"Suspended".equals(Json.str(e.getAsJsonObject(), "type"))) {
          out.add(e);
        }
      });
    }
    JsonObject c = condition("Suspended", reason, message, now);
    c.addProperty("status", value);
    out.add(c);
    status.add("conditions", out);
  }

  private static void succeed(JsonObject status, Instant now) {
    status.remove("active");
    status.addProperty("ready", 0);
    status.addProperty("completionTime", Json.time(now));
    JsonArray conditions = new JsonArray();
    conditions.add(condition("SuccessCriteriaMet", "CompletionsReached",
        "Reached expected number of succeeded pods", now));
    conditions.add(condition("Complete", "CompletionsReached",
        "Reached expected number of succeeded pods", now));
    status.add("conditions", conditions);
  }

  private static void fail(JsonObject status, Instant now, int failed, String reason, String message) {
    status.remove("active");
    status.addProperty("ready", 0);
    status.addProperty("failed", failed);
    JsonArray conditions = new JsonArray();
    conditions.add(condition("FailureTarget", reason, message, now));
    conditions.add(condition("Failed", reason, message, now));
    status.add("conditions", conditions);
  }

  private static JsonObject condition(String type, String reason, String message, Instant now) {
    JsonObject c = new JsonObject();
    c.addProperty("type", type);
    c.addProperty("status", "True");
    c.addProperty("reason", reason);
    c.addProperty("message", message);
    c.addProperty("lastProbeTime", Json.time(now));
    c.addProperty("lastTransitionTime", Json.time(now));
    return c;
  }

  /** When a Complete or Failed condition became true, or null while the Job runs. */
  static Instant finishedAt(JsonObject job) {
    JsonArray conditions = Json.array(Json.obj(job, "status"), "conditions");
    if (conditions == null) {
      return null;
    }
    for (JsonElement e : conditions) {
      JsonObject c = e.getAsJsonObject();
      String type = Json.str(c, "type");
      if (("Complete".equals(type) || "Failed".equals(type)) && "True".equals(Json.str(c, "status"))) {
        Instant at = Json.parseTime(Json.str(c, "lastTransitionTime"));
        return at != null ? at : Instant.EPOCH;
      }
    }
    return null;
  }

  /** The TTL-after-finished controller: finished Jobs with a TTL are deleted in the background. */
  private void collectIfTtlExpired(JsonObject job) {
    Long ttl = Json.num(Json.obj(job, "spec"), "ttlSecondsAfterFinished");
    if (ttl == null || clock.instant().isBefore(finishedAt(job).plusSeconds(ttl))) {
      return;
    }
    JsonObject preconditions = new JsonObject();
    preconditions.addProperty("uid", Json.uid(job));
    try {
      store.delete(ResourceType.JOBS, Json.namespace(job), Json.name(job), "Background", preconditions);
    } catch (ApiError e) {
      // deleted or replaced meanwhile
    }
  }

  private static JsonObject firstContainer(JsonObject job) {
    JsonElement containers = Json.at(job, "spec.template.spec.containers");
    if (containers == null || !containers.isJsonArray() || containers.getAsJsonArray().isEmpty()) {
      return new JsonObject();
    }
    return containers.getAsJsonArray().get(0).getAsJsonObject();
  }

  private static int intOr(JsonObject o, String key, int fallback) {
    Long v = Json.num(o, key);
    return v == null ? fallback : v.intValue();
  }
}
