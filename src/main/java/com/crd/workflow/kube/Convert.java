package com.crd.workflow.kube;

import com.crd.workflow.core.Condition;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.Phase;
import com.crd.workflow.core.PodStory;
import com.crd.workflow.core.Retries;
import com.crd.workflow.core.Step;
import com.crd.workflow.core.StepState;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.WorkflowStatus;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API JSON to core records and back: the only place that knows the wire shapes. */
public final class Convert {
  public static final String K_STATUS = "workflow-status";
  public static final String K_CHANGED = "status-changed";

  private Convert() {}

  /*
   * Every string read is interned. The mirror holds 100,000 Jobs and their Workflows; most of
   * their strings (namespaces, label keys and values, images, step names, timestamps, messages)
   * repeat across objects, and interning makes each one a single copy.
   */
  private static String istr(JsonObject o, String... path) {
    String s = Json.str(o, path);
    return s == null ? null : s.intern();
  }

  private static java.util.Map<String, String> istrings(JsonObject o, String... path) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    Json.strings(o, path).forEach((k, v) -> out.put(k.intern(), v.intern()));
    return out;
  }

  /** Never throws: a spec that cannot be read becomes {@code specError}. */
  public static Workflow workflow(JsonObject o) {
    WorkflowSpec spec = null;
    String error = null;
    try {
      spec = spec(Json.at(o, "spec"));
    } catch (BadSpec e) {
      error = e.getMessage();
    }
    WorkflowStatus status;
    try {
      status = status(Json.obj(o, "status"));
    } catch (RuntimeException e) {
      status = null; // unreadable status: rewritten from observation
    }
    return new Workflow(istr(o, "metadata", "namespace"), istr(o, "metadata", "name"),
        istr(o, "metadata", "uid"), istrings(o, "metadata", "labels"),
        Json.num(o, 0, "metadata", "generation"), istr(o, "metadata", "resourceVersion"),
        Json.at(o, "metadata", "deletionTimestamp") != null, spec, error, status,
        time(Json.str(o, "metadata", "creationTimestamp")),
        Json.strings(o, "metadata", "annotations").get(Names.ANNOTATION_RERUN));
  }

  static final class BadSpec extends Exception {
    BadSpec(String message) {
      super(message);
    }
  }

  /** Parses {@code spec} as the CRD defines it, naming the first field that does not fit. */
  public static WorkflowSpec spec(JsonElement element) throws BadSpec {
    if (element == null || element.isJsonNull()) {
      throw new BadSpec("spec is missing");
    }
    if (!(element instanceof JsonObject spec)) {
      throw new BadSpec("spec must be an object");
    }
    long timeout = WorkflowSpec.DEFAULT_TIMEOUT_SECONDS;
    JsonElement t = spec.get("maxStepTimeout");
    if (t != null && !t.isJsonNull()) {
      if (!(t instanceof JsonPrimitive p) || !p.isNumber()) {
        throw new BadSpec("spec.maxStepTimeout must be an integer number of seconds, got " + t);
      }
      try {
        timeout = p.getAsBigDecimal().longValueExact(); // no silent wrap-around or rounding
      } catch (ArithmeticException | NumberFormatException e) {
        throw new BadSpec("spec.maxStepTimeout must be an integer number of seconds, got " + t);
      }
    }
    JsonElement c = spec.get("containers");
    if (c == null || c.isJsonNull()) {
      throw new BadSpec("spec.containers is missing");
    }
    if (!(c instanceof JsonArray arr)) {
      throw new BadSpec("spec.containers must be a list of steps");
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      String at = "spec.containers[" + i + "]";
      if (!(arr.get(i) instanceof JsonObject s)) {
        throw new BadSpec(at + " must be an object");
      }
      steps.add(new Step(string(s, "stepName", at), string(s, "image", at),
          strings(s, "command", at), strings(s, "dependsOn", at),
          fields(s, Step.CONTAINER_FIELDS), retries(s.get("retries"), at + ".retries")));
    }
    Long parallelism = null;
    JsonElement par = spec.get("parallelism");
    if (par != null && !par.isJsonNull()) {
      try {
        parallelism = par.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
      } catch (RuntimeException e) {
        throw new BadSpec("spec.parallelism must be an integer, got " + par);
      }
    }
    JsonObject retention = new JsonObject();
    JsonElement jr = spec.get("jobRetention");
    if (jr != null && !jr.isJsonNull()) {
      if (!(jr instanceof JsonObject o)) {
        throw new BadSpec("spec.jobRetention must be an object");
      }
      retention = o;
    }
    return new WorkflowSpec(timeout, steps,
        fields(spec, "stepDefaults", WorkflowSpec.DEFAULT_FIELDS),
        podTemplate(spec), parallelism, string(spec, "queueName", "spec"),
        retries(spec.get("retries"), "spec.retries"),
        optionalInteger(spec, "activeDeadlineSeconds", "spec"),
        optionalInteger(spec, "ttlSecondsAfterFinished", "spec"),
        optionalInteger(retention, "onSuccess", "spec.jobRetention"),
        optionalInteger(retention, "onFailure", "spec.jobRetention"));
  }

  /** An integer field, null when absent; ranges are checked by Validation with the rest. */
  private static Long optionalInteger(JsonObject o, String key, String at) throws BadSpec {
    JsonElement v = o.get(key);
    return v == null || v.isJsonNull() ? null : integer(o, key, 0, at);
  }

  /**
   * A {@code retries} object; null when absent. Ranges are checked by {@link
   * com.crd.workflow.core.Validation}, so a bad value is named with every other problem.
   */
  static Retries retries(JsonElement e, String at) throws BadSpec {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!(e instanceof JsonObject r)) {
      throw new BadSpec(at + " must be an object");
    }
    JsonObject backoff = new JsonObject();
    JsonElement b = r.get("backoff");
    if (b != null && !b.isJsonNull()) {
      if (!(b instanceof JsonObject bo)) {
        throw new BadSpec(at + ".backoff must be an object");
      }
      backoff = bo;
    }
    long limit = integer(r, "limit", 0, at);
    return new Retries((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)),
        integer(backoff, "seconds", Retries.DEFAULT_SECONDS, at + ".backoff"),
        number(backoff, "factor", Retries.DEFAULT_FACTOR, at + ".backoff"),
        integer(backoff, "maxSeconds", Retries.DEFAULT_MAX_SECONDS, at + ".backoff"),
        codes(r, "onExitCodes", at), codes(r, "neverOnExitCodes", at));
  }

  private static long integer(JsonObject o, String key, long fallback, String at) throws BadSpec {
    JsonElement v = o.get(key);
    if (v == null || v.isJsonNull()) {
      return fallback;
    }
    try {
      return v.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
    } catch (RuntimeException ex) {
      throw new BadSpec(at + "." + key + " must be an integer, got " + v);
    }
  }

  private static double number(JsonObject o, String key, double fallback, String at) throws BadSpec {
    JsonElement v = o.get(key);
    if (v == null || v.isJsonNull()) {
      return fallback;
    }
    if (!(v instanceof JsonPrimitive p) || !p.isNumber()) {
      throw new BadSpec(at + "." + key + " must be a number, got " + v);
    }
    return p.getAsDouble();
  }

  private static List<Integer> codes(JsonObject o, String key, String at) throws BadSpec {
    JsonElement v = o.get(key);
    if (v == null || v.isJsonNull()) {
      return List.of();
    }
    if (!(v instanceof JsonArray arr)) {
      throw new BadSpec(at + "." + key + " must be a list of exit codes");
    }
    List<Integer> out = new ArrayList<>();
    for (JsonElement c : arr) {
      try {
        long code = c.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
        out.add((int) Math.max(-1, Math.min(code, 100_000)));
      } catch (RuntimeException ex) {
        throw new BadSpec(at + "." + key + " must be a list of integer exit codes, got " + c);
      }
    }
    return out;
  }

  /** The listed fields of an object as plain data; absent and null fields are left out. */
  private static Map<String, Object> fields(JsonObject o, List<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names) {
      JsonElement e = o.get(n);
      if (e != null && !e.isJsonNull()) {
        out.put(n, Json.toData(e));
      }
    }
    return out;
  }

  private static Map<String, Object> fields(JsonObject spec, String key, List<String> names)
      throws BadSpec {
    JsonElement e = spec.get(key);
    if (e == null || e.isJsonNull()) {
      return Map.of();
    }
    if (!(e instanceof JsonObject o)) {
      throw new BadSpec("spec." + key + " must be an object");
    }
    return fields(o, names);
  }

  private static Map<String, Object> podTemplate(JsonObject spec) throws BadSpec {
    Map<String, Object> out = new LinkedHashMap<>(
        fields(spec, "podTemplate", WorkflowSpec.POD_FIELDS));
    if (spec.get("podTemplate") instanceof JsonObject pt && pt.get("metadata") instanceof JsonObject m) {
      Map<String, Object> meta = fields(m, List.of("labels", "annotations"));
      if (!meta.isEmpty()) {
        out.put("metadata", meta);
      }
    }
    return out;
  }

  private static String string(JsonObject o, String key, String at) throws BadSpec {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!(e instanceof JsonPrimitive p) || !p.isString()) {
      throw new BadSpec(at + "." + key + " must be a string");
    }
    return p.getAsString().intern();
  }

  private static List<String> strings(JsonObject o, String key, String at) throws BadSpec {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!(e instanceof JsonArray a)) {
      throw new BadSpec(at + "." + key + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonElement x : a) {
      if (!(x instanceof JsonPrimitive p) || !p.isString()) {
        throw new BadSpec(at + "." + key + " must be a list of strings");
      }
      out.add(p.getAsString().intern());
    }
    return out;
  }

  public static WorkflowStatus status(JsonObject s) {
    if (s == null || Json.str(s, K_STATUS) == null) {
      return null;
    }
    Phase phase;
    try {
      phase = Phase.valueOf(Json.str(s, K_STATUS));
    } catch (IllegalArgumentException e) {
      phase = null;
    }
    List<StepStatus> steps = new ArrayList<>();
    for (JsonObject st : Json.objects(s, "steps")) {
      StepState state;
      try {
        state = StepState.valueOf(String.valueOf(Json.str(st, "state")));
      } catch (IllegalArgumentException e) {
        state = null;
      }
      if (state == null || Json.str(st, "name") == null) {
        continue; // not ours to keep: the next write replaces it
      }
      long attempts = Json.num(st, 0, "attempts");
      steps.add(new StepStatus(istr(st, "name"), state, istr(st, "job"),
          istr(st, "message"), istr(st, "startedAt"), istr(st, "finishedAt"),
          attempts > 0 ? Integer.valueOf((int) Math.min(attempts, Integer.MAX_VALUE)) : null));
    }
    List<Condition> conditions = new ArrayList<>();
    for (JsonObject c : Json.objects(s, "conditions")) {
      if (Json.str(c, "type") == null || Json.str(c, "status") == null) {
        continue;
      }
      conditions.add(new Condition(istr(c, "type"), istr(c, "status"), istr(c, "reason"),
          istr(c, "message") == null ? "" : istr(c, "message"),
          istr(c, "lastTransitionTime"), Json.num(c, 0, "observedGeneration")));
    }
    return new WorkflowStatus(phase, istr(s, K_CHANGED), istr(s, "message"),
        istr(s, "progress"), istr(s, "specHash"), Json.num(s, 0, "observedGeneration"),
        names(s, "executedSteps"), names(s, "startedSteps"), steps, conditions,
        istr(s, "rerunToken"), (int) Math.max(0, Math.min(Json.num(s, 0, "reruns"), 1_000_000)));
  }

  private static List<String> names(JsonObject s, String key) {
    List<String> out = new ArrayList<>();
    if (Json.at(s, key) instanceof JsonArray a) {
      a.forEach(e -> out.add((e.isJsonPrimitive() ? e.getAsString() : e.toString()).intern()));
    }
    return out;
  }

  public static JsonObject toJson(WorkflowStatus s) {
    JsonObject o = new JsonObject();
    o.addProperty(K_STATUS, s.phase().name());
    o.addProperty(K_CHANGED, s.statusChanged());
    o.addProperty("message", s.message());
    o.addProperty("progress", s.progress());
    o.addProperty("specHash", s.specHash());
    o.addProperty("observedGeneration", s.observedGeneration());
    o.add("executedSteps", Json.array(s.executedSteps()));
    o.add("startedSteps", Json.array(s.startedSteps()));
    JsonArray steps = new JsonArray();
    for (StepStatus st : s.steps()) {
      JsonObject j = new JsonObject();
      j.addProperty("name", st.name());
      j.addProperty("state", st.state().name());
      putIf(j, "job", st.job());
      putIf(j, "message", st.message());
      putIf(j, "startedAt", st.startedAt());
      putIf(j, "finishedAt", st.finishedAt());
      if (st.attempts() != null) {
        j.addProperty("attempts", st.attempts());
      }
      steps.add(j);
    }
    o.add("steps", steps);
    JsonArray conds = new JsonArray();
    for (Condition c : s.conditions()) {
      JsonObject j = new JsonObject();
      j.addProperty("type", c.type());
      j.addProperty("status", c.status());
      j.addProperty("reason", c.reason());
      j.addProperty("message", c.message());
      j.addProperty("lastTransitionTime", c.lastTransitionTime());
      j.addProperty("observedGeneration", c.observedGeneration());
      conds.add(j);
    }
    o.add("conditions", conds);
    putIf(o, "rerunToken", s.rerunToken());
    if (s.reruns() > 0) {
      o.addProperty("reruns", s.reruns());
    }
    return o;
  }

  private static void putIf(JsonObject o, String key, String value) {
    if (value != null) {
      o.addProperty(key, value);
    }
  }

  /**
   * A managed Job as the planner sees it. SuccessCriteriaMet and FailureTarget (Kubernetes 1.31+)
   * are as final as Complete and Failed, and arrive before the pods finish terminating.
   */
  public static ObservedJob job(JsonObject o) {
    JobPhase phase = JobPhase.RUNNING;
    String reason = null;
    Instant finished = null;
    for (JsonObject c : Json.objects(o, "status", "conditions")) {
      if (!"True".equals(Json.str(c, "status"))) {
        continue;
      }
      String type = String.valueOf(Json.str(c, "type"));
      if (type.equals("Failed") || type.equals("FailureTarget")) {
        phase = JobPhase.FAILED;
        reason = reason != null ? reason : istr(c, "reason");
        finished = finished != null ? finished : time(istr(c, "lastTransitionTime"));
      } else if ((type.equals("Complete") || type.equals("SuccessCriteriaMet"))
          && phase != JobPhase.FAILED) {
        phase = JobPhase.SUCCEEDED;
      }
    }
    if (phase == JobPhase.RUNNING) {
      // No terminal condition (an older or simpler controller): read the counters the way the
      // Job controller does.
      if (Json.num(o, 0, "status", "succeeded") >= Json.num(o, 1, "spec", "completions")) {
        phase = JobPhase.SUCCEEDED;
      } else if (Json.num(o, 0, "status", "failed") > Json.num(o, 6, "spec", "backoffLimit")) {
        phase = JobPhase.FAILED;
        reason = "BackoffLimitExceeded";
      }
    }
    if (phase == JobPhase.SUCCEEDED) {
      finished = time(istr(o, "status", "completionTime"));
      for (JsonObject c : Json.objects(o, "status", "conditions")) {
        if (finished == null && "True".equals(Json.str(c, "status"))) {
          finished = time(istr(c, "lastTransitionTime")); // SuccessCriteriaMet comes first
        }
      }
    }
    String propagated = Json.strings(o, "metadata", "annotations").get(Names.ANNOTATION_PROPAGATED);
    return new ObservedJob(istr(o, "metadata", "namespace"), istr(o, "metadata", "name"),
        istrings(o, "metadata", "labels"),
        propagated == null || propagated.isEmpty() ? List.of()
            : Arrays.stream(propagated.split(",")).map(String::intern).toList(),
        phase, reason,
        time(istr(o, "metadata", "creationTimestamp")), time(istr(o, "status", "startTime")),
        finished, Json.at(o, "metadata", "deletionTimestamp") != null, ownerName(o),
        JobAttempts.of(o), suspended(o), resumedAt(o));
  }

  /**
   * A managed pod as the planner's messages need it: its first container's waiting or terminated
   * state, and the conditions that say it was never scheduled or was disrupted. Its jobName is
   * null when neither a label nor an ownerReference names a Job.
   */
  public static PodStory pod(JsonObject o) {
    Map<String, String> labels = Json.strings(o, "metadata", "labels");
    String job = labels.getOrDefault(Names.LABEL_JOB_NAME, labels.get(Names.LABEL_JOB_NAME_LEGACY));
    if (job == null) {
      for (JsonObject ref : Json.objects(o, "metadata", "ownerReferences")) {
        if ("Job".equals(Json.str(ref, "kind"))) {
          job = Json.str(ref, "name");
        }
      }
    }
    String unschedulable = null;
    boolean disrupted = false;
    for (JsonObject c : Json.objects(o, "status", "conditions")) {
      String type = Json.str(c, "type");
      if ("PodScheduled".equals(type) && "False".equals(Json.str(c, "status"))
          && "Unschedulable".equals(Json.str(c, "reason"))) {
        unschedulable = Json.str(c, "message");
      } else if ("DisruptionTarget".equals(type) && "True".equals(Json.str(c, "status"))) {
        disrupted = true;
      }
    }
    List<JsonObject> containers = Json.objects(o, "status", "containerStatuses");
    JsonObject state = containers.isEmpty() ? new JsonObject() : Json.obj(containers.get(0), "state");
    String waitingReason = Json.str(state, "waiting", "reason"); // null-safe without a state
    String waitingMessage = Json.str(state, "waiting", "message");
    if ("ContainerCreating".equals(waitingReason) || "PodInitializing".equals(waitingReason)) {
      waitingReason = null; // the routine start of every pod, nothing to act on
      waitingMessage = null;
    }
    JsonElement code = Json.at(state, "terminated", "exitCode");
    Integer exitCode = code instanceof JsonPrimitive p && p.isNumber() ? p.getAsInt() : null;
    return new PodStory(istr(o, "metadata", "namespace"), Json.str(o, "metadata", "name"),
        job == null ? null : job.intern(), istr(o, "status", "phase"),
        waitingReason == null ? null : waitingReason.intern(), waitingMessage, istr(state, "terminated", "reason"), exitCode, unschedulable, disrupted,
        time(istr(o, "metadata", "creationTimestamp")));
  }

  private static String ownerName(JsonObject job) {
    for (JsonObject ref : Json.objects(job, "metadata", "ownerReferences")) {
      if (Names.KIND.equals(Json.str(ref, "kind")) && Boolean.TRUE.equals(
          Json.at(ref, "controller") instanceof JsonPrimitive p && p.isBoolean() && p.getAsBoolean())) {
        return istr(ref, "name");
      }
    }
    return null;
  }

  /**
   * {@code spec.suspend: true}: a queue such as Kueue holds the Job; no pod runs. A Job the queue
   * has just released but whose Suspended condition the Job controller has not yet turned False
   * counts as suspended too: its clock starts when the controller says it resumed, not before
   * (else the time it spent queued would count against maxStepTimeout).
   */
  static boolean suspended(JsonObject job) {
    JsonElement s = Json.at(job, "spec", "suspend");
    if (s instanceof JsonPrimitive p && p.isBoolean() && p.getAsBoolean()) {
      return true;
    }
    for (JsonObject c : Json.objects(job, "status", "conditions")) {
      if ("Suspended".equals(Json.str(c, "type")) && "True".equals(Json.str(c, "status"))) {
        return true;
      }
    }
    return false;
  }

  /** When the Job controller saw it resumed: its Suspended condition turned False. */
  static Instant resumedAt(JsonObject job) {
    for (JsonObject c : Json.objects(job, "status", "conditions")) {
      if ("Suspended".equals(Json.str(c, "type")) && "False".equals(Json.str(c, "status"))) {
        return time(Json.str(c, "lastTransitionTime"));
      }
    }
    return null;
  }

  static Instant time(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
