package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.regex.Pattern;

/**
 * Per-type defaulting and validation that the real API server applies on writes. Only the rules a
 * client is likely to trip over are here; each one is something a real cluster would also reject
 * or add, so code that passes against the fake does not fail against a cluster for these reasons.
 */
final class Admission {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private Admission() {}

  static void validateName(ResourceType type, String name) {
    if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
      throw ApiError.invalid(type, name, "metadata.name", "FieldValueInvalid",
          "Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of lower case "
              + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
              + "character (e.g. 'example.com', regex used for validation is "
              + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }
    if (type == ResourceType.JOBS && name.length() > 63) {
      // The name becomes the job-name label value, which is limited to 63 characters.
      throw ApiError.invalid(type, name, "metadata.name", "FieldValueInvalid",
          "Invalid value: \"" + name + "\": must be no more than 63 characters");
    }
  }

  /** Runs after system metadata (uid, name, namespace) is set on a new object. */
  static void prepareCreate(ResourceType type, JsonObject object) {
    if (type == ResourceType.JOBS) {
      validateJobOnCreate(object);
      defaultJob(object);
    } else if (type == ResourceType.EVENTS) {
      validateEvent(object);
    }
  }

  static void validateUpdate(ResourceType type, JsonObject old, JsonObject updated) {
    if (type == ResourceType.JOBS) {
      String name = Json.name(updated);
      for (String field : new String[] {"template", "selector", "completionMode"}) {
        JsonElement before = Json.at(old, "spec." + field);
        JsonElement after = Json.at(updated, "spec." + field);
        if (!GoEncoding.semanticallyEqual(before, after)) {
          throw ApiError.invalid(type, name, "spec." + field, "FieldValueInvalid",
              "Invalid value: " + Json.write(after == null ? new JsonObject() : after)
                  + ": field is immutable");
        }
      }
    } else if (type == ResourceType.EVENTS) {
      validateEvent(updated);
    }
  }

  private static void validateEvent(JsonObject event) {
    String involvedNs = Json.str(Json.obj(event, "involvedObject"), "namespace");
    if (involvedNs != null && !involvedNs.isEmpty() && !involvedNs.equals(Json.namespace(event))) {
      throw ApiError.invalid(ResourceType.EVENTS, Json.name(event), "involvedObject.namespace",
          "FieldValueInvalid", "Invalid value: \"" + involvedNs + "\": does not match event.namespace");
    }
  }

  private static void validateJobOnCreate(JsonObject job) {
    ResourceType t = ResourceType.JOBS;
    String name = Json.name(job);
    JsonObject spec = Json.obj(job, "spec");
    JsonObject podSpec = Json.obj(Json.obj(spec, "template"), "spec");
    if (spec != null && spec.has("selector") && !Boolean.TRUE.equals(Json.bool(spec, "manualSelector"))) {
      throw ApiError.invalid(t, name, "spec.selector", "FieldValueInvalid",
          "Invalid value: " + Json.write(spec.get("selector")) + ": `selector` not auto-generated");
    }
    JsonArray containers = Json.array(podSpec, "containers");
    if (containers == null || containers.isEmpty()) {
      throw ApiError.invalid(t, name, "spec.template.spec.containers", "FieldValueRequired",
          "Required value");
    }
    for (int i = 0; i < containers.size(); i++) {
      JsonObject c = containers.get(i).isJsonObject() ? containers.get(i).getAsJsonObject() : new JsonObject();
      String field = "spec.template.spec.containers[" + i + "]";
      String cname = Json.str(c, "name");
      if (cname == null || cname.isEmpty()) {
        throw ApiError.invalid(t, name, field + ".name", "FieldValueRequired", "Required value");
      }
      if (!DNS1123_LABEL.matcher(cname).matches() || cname.length() > 63) {
        throw ApiError.invalid(t, name, field + ".name", "FieldValueInvalid",
            "Invalid value: \"" + cname + "\": a lowercase RFC 1123 label must consist of lower case "
                + "alphanumeric characters or '-', and must start and end with an alphanumeric character");
      }
      String image = Json.str(c, "image");
      if (image == null || image.isBlank()) {
        throw ApiError.invalid(t, name, field + ".image", "FieldValueRequired", "Required value");
      }
    }
    String restartPolicy = Json.str(podSpec, "restartPolicy");
    if (!"Never".equals(restartPolicy) && !"OnFailure".equals(restartPolicy)) {
      throw ApiError.invalid(t, name, "spec.template.spec.restartPolicy",
          restartPolicy == null ? "FieldValueRequired" : "FieldValueNotSupported",
          (restartPolicy == null ? "Required value" : "Unsupported value: \"" + restartPolicy + "\"")
              + ": valid values: \"OnFailure\", \"Never\"");
    }
  }

  /** The defaults a real server fills in; clients comparing specs must cope with them. */
  private static void defaultJob(JsonObject job) {
    String uid = Json.uid(job);
    String name = Json.name(job);
    JsonObject spec = job.getAsJsonObject("spec");
    putIfAbsent(spec, "parallelism", 1);
    if (!spec.has("completions") && spec.get("parallelism").getAsInt() == 1) {
      spec.addProperty("completions", 1);
    }
    putIfAbsent(spec, "backoffLimit", 6);
    putIfAbsent(spec, "completionMode", "NonIndexed");
    putIfAbsent(spec, "suspend", false);
    putIfAbsent(spec, "podReplacementPolicy", "TerminatingOrFailed");
    JsonObject template = spec.getAsJsonObject("template");
    JsonObject templateMeta = Json.meta(template);
    JsonObject templateLabels = Json.obj(templateMeta, "labels");
    if (templateLabels == null) {
      templateLabels = new JsonObject();
      templateMeta.add("labels", templateLabels);
    }
    if (!Boolean.TRUE.equals(Json.bool(spec, "manualSelector"))) {
      templateLabels.addProperty("batch.kubernetes.io/controller-uid", uid);
      templateLabels.addProperty("batch.kubernetes.io/job-name", name);
      templateLabels.addProperty("controller-uid", uid);
      templateLabels.addProperty("job-name", name);
      JsonObject selector = new JsonObject();
      JsonObject matchLabels = new JsonObject();
      matchLabels.addProperty("batch.kubernetes.io/controller-uid", uid);
      selector.add("matchLabels", matchLabels);
      spec.add("selector", selector);
    }
    JsonObject labels = Json.labels(job);
    if (labels == null || labels.isEmpty()) {
      Json.meta(job).add("labels", templateLabels.deepCopy());
    }
    JsonObject podSpec = template.getAsJsonObject("spec");
    putIfAbsent(podSpec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(podSpec, "schedulerName", "default-scheduler");
    if (!podSpec.has("securityContext")) {
      podSpec.add("securityContext", new JsonObject());
    }
    putIfAbsent(podSpec, "terminationGracePeriodSeconds", 30);
    for (JsonElement e : podSpec.getAsJsonArray("containers")) {
      JsonObject c = e.getAsJsonObject();
      putIfAbsent(c, "imagePullPolicy", pullPolicyFor(Json.str(c, "image")));
      if (!c.has("resources")) {
        c.add("resources", new JsonObject());
      }
      putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
      putIfAbsent(c, "terminationMessagePolicy", "File");
    }
  }

  private static String pullPolicyFor(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    return !tagged || image.endsWith(":latest") ? "Always" : "IfNotPresent";
  }

  private static void putIfAbsent(JsonObject o, String key, Object value) {
    if (o.has(key) && !o.get(key).isJsonNull()) {
      return;
    }
    if (value instanceof Number n) {
      o.addProperty(key, n);
    } else if (value instanceof Boolean b) {
      o.addProperty(key, b);
    } else {
      o.addProperty(key, (String) value);
    }
  }
}
