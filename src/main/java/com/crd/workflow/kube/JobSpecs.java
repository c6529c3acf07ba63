package com.crd.workflow.kube;

import com.crd.workflow.core.Action.CreateJob;
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

  private JobSpecs() {}

  /**
   * The Job as sent: client-java's models serialize every unset list and map as empty, which a
   * server older than the client may not know (e.g. restartPolicyRules); unset means absent.
   */
  public static com.google.gson.JsonObject desiredJobJson(CreateJob c) {
    com.google.gson.JsonObject job = com.google.gson.JsonParser.parseString(
        new io.kubernetes.client.openapi.JSON().serialize(desiredJob(c))).getAsJsonObject();
    Json.pruneEmpty(job);
    return job;
  }

  public static V1Job desiredJob(CreateJob c) {
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
            .backoffLimit(BACKOFF_LIMIT)
            .activeDeadlineSeconds(c.activeDeadlineSeconds())
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(podLabels))
                .spec(new V1PodSpec()
                    .restartPolicy("Never")
                    .containers(List.of(container)))));
  }
}
