package com.crd.workflow.core;

import java.util.List;
import java.util.Map;

/**
 * {@code spec} of a Workflow. {@code maxStepTimeout} is in seconds; -1 means unlimited.
 *
 * @param stepDefaults Container fields applied to every step (see {@link Containers#merge})
 * @param podTemplate pod-level fields for every step's pod, plus {@code metadata.labels} and
 *     {@code metadata.annotations}; plain data, empty if none
 * @param parallelism at most this many steps run at once; null = unlimited
 * @param queueName the Kueue LocalQueue every step Job is submitted to; null = none
 * @param retries the default {@code retries} of every step that sets none; null = no retry
 * @param activeDeadlineSeconds the whole workflow fails this long after it started; null = never
 * @param ttlSecondsAfterFinished the Workflow is deleted this long after it finished; null = kept
 * @param retainJobsOnSuccess a Completed workflow's Jobs are deleted this long after it finished
 *     ({@code jobRetention.onSuccess}); null = kept
 * @param retainJobsOnFailure the same for a Failed workflow ({@code jobRetention.onFailure})
 */
public record WorkflowSpec(long maxStepTimeout, List<Step> steps, Map<String, Object> stepDefaults,
    Map<String, Object> podTemplate, Long parallelism, String queueName, Retries retries,
    Long activeDeadlineSeconds, Long ttlSecondsAfterFinished, Long retainJobsOnSuccess,
    Long retainJobsOnFailure) {
  public static final long DEFAULT_TIMEOUT_SECONDS = 60;
  public static final long UNLIMITED = -1;
  /** The stepDefaults fields; each is a Container field. */
  public static final List<String> DEFAULT_FIELDS = List.of("env", "envFrom", "resources",
      "imagePullPolicy", "securityContext", "volumeMounts");
  /** The podTemplate fields besides metadata; each is a PodSpec field. */
  public static final List<String> POD_FIELDS = List.of("serviceAccountName", "volumes",
      "nodeSelector", "tolerations", "affinity", "imagePullSecrets", "securityContext",
      "priorityClassName", "runtimeClassName", "automountServiceAccountToken");

  public WorkflowSpec {
    steps = steps == null ? List.of() : List.copyOf(steps);
    stepDefaults = Data.frozenMap(stepDefaults);
    podTemplate = Data.frozenMap(podTemplate);
  }

  public WorkflowSpec(long maxStepTimeout, List<Step> steps) {
    this(maxStepTimeout, steps, Map.of(), Map.of(), null, null, null);
  }

  public WorkflowSpec(long maxStepTimeout, List<Step> steps, Map<String, Object> stepDefaults,
      Map<String, Object> podTemplate, Long parallelism, String queueName) {
    this(maxStepTimeout, steps, stepDefaults, podTemplate, parallelism, queueName, null);
  }

  public WorkflowSpec(long maxStepTimeout, List<Step> steps, Map<String, Object> stepDefaults,
      Map<String, Object> podTemplate, Long parallelism, String queueName, Retries retries) {
    this(maxStepTimeout, steps, stepDefaults, podTemplate, parallelism, queueName, retries, null,
        null, null, null);
  }

  /** This spec with the whole-workflow deadline set (seconds; null = none). */
  public WorkflowSpec withDeadline(Long seconds) {
    return new WorkflowSpec(maxStepTimeout, steps, stepDefaults, podTemplate, parallelism,
        queueName, retries, seconds, ttlSecondsAfterFinished, retainJobsOnSuccess,
        retainJobsOnFailure);
  }

  /** This spec with its clean-up times set (seconds; null = keep). */
  public WorkflowSpec withCleanUp(Long ttl, Long onSuccess, Long onFailure) {
    return new WorkflowSpec(maxStepTimeout, steps, stepDefaults, podTemplate, parallelism,
        queueName, retries, activeDeadlineSeconds, ttl, onSuccess, onFailure);
  }

  /** The retries a step gets: its own, else the workflow's; null = no retry. */
  public Retries retriesOf(Step s) {
    return s.retries() != null ? s.retries() : retries;
  }

  public boolean unlimited() {
    return maxStepTimeout == UNLIMITED;
  }

  /** The Container fields of a step's Job: stepDefaults merged with the step's own. */
  public Map<String, Object> containerOf(Step s) {
    return Containers.merge(stepDefaults, s.container());
  }
}
