package com.crd.workflow.kube;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Data;
import com.crd.workflow.core.Names;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The desired Job for a step: a pure builder, the only core-to-client-type bridge for Jobs. */
public final class JobSpecs {
  /**
   * One retry absorbs a transient pod loss (an evicted or preempted node) without hiding a step
   * that really fails; more retries would multiply a failing step's time before the workflow
   * reports it. activeDeadlineSeconds bounds the retries too.
   */
  public static final int BACKOFF_LIMIT = 1;
  /**
   * A step with {@code retries} is retried by the operator, one Job per attempt, with its own
   * backoff; the Job itself never retries, so the two never multiply.
   */
  public static final int BACKOFF_LIMIT_WITH_RETRIES = 0;

  private JobSpecs() {}

  /**
   * The Job as sent: client-java's models serialize every unset list and map as empty, which a
   * server older than the client may not know (e.g. restartPolicyRules); unset means absent. The
   * step's Container fields and the workflow's pod fields are copied in as written, not through
   * client-java's models, so a field the client does not know yet is not lost.
   */
  public static com.google.gson.JsonObject desiredJobJson(CreateJob c) {
    com.google.gson.JsonObject job = com.google.gson.JsonParser.parseString(
        new io.kubernetes.client.openapi.JSON().serialize(skeleton(c))).getAsJsonObject();
    Json.pruneEmpty(job);
    com.google.gson.JsonObject template = Json.obj(job, "spec", "template");
    com.google.gson.JsonObject pod = Json.obj(template, "spec");
    com.google.gson.JsonObject container = pod.getAsJsonArray("containers").get(0).getAsJsonObject();
    c.container().forEach((k, v) -> container.add(k, Json.fromData(v)));
    Map<String, Object> podFields = new TreeMap<>(c.podTemplate());
    podFields.remove("metadata");
    podFields.forEach((k, v) -> pod.add(k, Json.fromData(v)));
    if (!podFields.containsKey("automountServiceAccountToken")
        && !podFields.containsKey("serviceAccountName")) {
      // A step holds an API token only when the workflow asks for an identity.
      pod.addProperty("automountServiceAccountToken", false);
    }
    Map<String, Object> meta = Data.map(c.podTemplate(), "metadata");
    com.google.gson.JsonObject podMeta = Json.obj(template, "metadata");
    if (!Data.map(meta, "labels").isEmpty()) {
      com.google.gson.JsonObject labels = new com.google.gson.JsonObject();
      Data.map(meta, "labels").forEach((k, v) -> labels.add(k, Json.fromData(v)));
      podMeta.getAsJsonObject("labels").entrySet()
          .forEach(e -> labels.add(e.getKey(), e.getValue())); // the operator's labels win
      podMeta.add("labels", labels);
    }
    if (!Data.map(meta, "annotations").isEmpty()) {
      podMeta.add("annotations", Json.fromData(Data.map(meta, "annotations")));
    }
    Json.obj(job, "spec").add("podFailurePolicy", podFailurePolicy(c));
    if (c.suspend()) {
      // Kueue's webhook would suspend it too; created suspended, no pod can start before admission.
      Json.obj(job, "spec").addProperty("suspend", true);
    }
    return job;
  }

  /**
   * A pod lost to eviction, preemption or a node drain (condition DisruptionTarget) is not the
   * step's failure: Ignore lets the Job controller start a new pod without counting it. Exit codes
   * that must not be retried fail the Job at once (reason PodFailurePolicy), which the planner
   * reads as "do not retry".
   */
  static com.google.gson.JsonObject podFailurePolicy(CreateJob c) {
    com.google.gson.JsonArray rules = new com.google.gson.JsonArray();
    com.google.gson.JsonObject disruption = new com.google.gson.JsonObject();
    disruption.addProperty("action", "Ignore");
    com.google.gson.JsonArray conditions = new com.google.gson.JsonArray();
    com.google.gson.JsonObject target = new com.google.gson.JsonObject();
    target.addProperty("type", "DisruptionTarget");
    target.addProperty("status", "True");
    conditions.add(target);
    disruption.add("onPodConditions", conditions);
    rules.add(disruption);
    if (c.retries() != null && !c.retries().neverOnExitCodes().isEmpty()) {
      rules.add(failJob("In", c.retries().neverOnExitCodes()));
    }
    if (c.retries() != null && !c.retries().onExitCodes().isEmpty()) {
      rules.add(failJob("NotIn", c.retries().onExitCodes())); // exit code 0 never matches NotIn
    }
    com.google.gson.JsonObject policy = new com.google.gson.JsonObject();
    policy.add("rules", rules);
    return policy;
  }

  private static com.google.gson.JsonObject failJob(String operator, List<Integer> codes) {
    com.google.gson.JsonObject rule = new com.google.gson.JsonObject();
    rule.addProperty("action", "FailJob");
    com.google.gson.JsonObject on = new com.google.gson.JsonObject();
    on.addProperty("operator", operator);
    com.google.gson.JsonArray values = new com.google.gson.JsonArray();
    codes.stream().distinct().sorted().forEach(values::add);
    on.add("values", values);
    rule.add("onExitCodes", on);
    return rule;
  }

  /** The desired Job as client-java's typed model (for tests and tools; the wire uses the JSON). */
  public static V1Job desiredJob(CreateJob c) {
    return new io.kubernetes.client.openapi.JSON().deserialize(desiredJobJson(c).toString(), V1Job.class);
  }

  private static V1Job skeleton(CreateJob c) {
    Map<String, String> podLabels = new TreeMap<>();
    c.labels().forEach((k, v) -> {
      if (k.startsWith(Names.GROUP + "/") || k.equals(Names.LABEL_MANAGED_BY)) {
        podLabels.put(k, v); // pods keep only the operator's labels: pod templates are immutable
      }
    });
    V1Container container = new V1Container().name(c.step().stepName()).image(c.step().image());
    if (c.step().command() != null) {
      container.command(c.step().command());
    }
    return new V1Job()
        .apiVersion("batch/v1")
        .kind("Job")
        .metadata(new V1ObjectMeta()
            .name(c.jobName())
            .namespace(c.namespace())
            .labels(c.labels())
            .annotations(Map.of(Names.ANNOTATION_PROPAGATED, String.join(",", c.propagatedLabels())))
            .ownerReferences(List.of(new V1OwnerReference()
                .apiVersion(Names.GROUP + "/" + Names.VERSION)
                .kind(Names.KIND)
                .name(c.workflowName())
                .uid(c.workflowUid())
                // No blockOwnerDeletion: it needs workflows/finalizers rights on clusters that
                // enforce owner-reference permissions, and background deletion does not use it.
                .controller(true))))
        .spec(new V1JobSpec()
            .backoffLimit(c.retries() != null ? BACKOFF_LIMIT_WITH_RETRIES : BACKOFF_LIMIT)
            .activeDeadlineSeconds(c.activeDeadlineSeconds())
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(podLabels))
                .spec(new V1PodSpec()
                    .restartPolicy("Never")
                    .containers(List.of(container)))));
  }
}
