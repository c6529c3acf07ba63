package com.crd.workflow.core;

import java.util.List;
import java.util.Map;

/** What the shell must do. The applier dispatches on this sealed family. */
public sealed interface Action {
  String namespace();

  /**
   * Create the Job for one step. {@code activeDeadlineSeconds} is null for unlimited steps.
   *
   * @param container the step's Container fields, stepDefaults merged in (plain data)
   * @param podTemplate the workflow's {@code spec.podTemplate} (plain data)
   * @param suspend create it suspended, for a queue (Kueue) to admit
   * @param retries the step's retries, which shape the Job's backoffLimit and podFailurePolicy;
   *     null when the step is not retried
   */
  record CreateJob(
      String namespace,
      String jobName,
      String workflowName,
      String workflowUid,
      String specHash,
      Step step,
      Map<String, String> labels,
      List<String> propagatedLabels,
      Long activeDeadlineSeconds,
      Map<String, Object> container,
      Map<String, Object> podTemplate,
      boolean suspend,
      Retries retries) implements Action {
    public CreateJob {
      container = Data.frozenMap(container);
      podTemplate = Data.frozenMap(podTemplate);
    }

    public CreateJob(String namespace, String jobName, String workflowName, String workflowUid,
        String specHash, Step step, Map<String, String> labels, List<String> propagatedLabels,
        Long activeDeadlineSeconds) {
      this(namespace, jobName, workflowName, workflowUid, specHash, step, labels,
          propagatedLabels, activeDeadlineSeconds, step.container(), Map.of(), false, null);
    }

    public CreateJob(String namespace, String jobName, String workflowName, String workflowUid,
        String specHash, Step step, Map<String, String> labels, List<String> propagatedLabels,
        Long activeDeadlineSeconds, Map<String, Object> container, Map<String, Object> podTemplate,
        boolean suspend) {
      this(namespace, jobName, workflowName, workflowUid, specHash, step, labels,
          propagatedLabels, activeDeadlineSeconds, container, podTemplate, suspend, null);
    }
  }

  /**
   * Delete a Job and (background propagation) its pods. {@code orphanOf} is the workflow uid an
   * orphaned Job names, so the applier can make sure that workflow is really gone; null otherwise.
   * {@code orphanName} is that workflow's name (from the Job's ownerReference), when known.
   */
  record DeleteJob(String namespace, String jobName, String why, String orphanOf,
      String orphanName) implements Action {
    public DeleteJob(String namespace, String jobName, String why, String orphanOf) {
      this(namespace, jobName, why, orphanOf, null);
    }
  }

  /**
   * Delete a finished Workflow (and, through its ownerReferences, its Jobs) once its
   * ttlSecondsAfterFinished has passed. {@code uid} is a precondition of the delete: a Workflow
   * re-created under the same name meanwhile is a different object and stays.
   */
  record DeleteWorkflow(String namespace, String workflowName, String uid, String why)
      implements Action {}

  /**
   * Bring a Job's labels in line with its workflow: set {@code set}, delete {@code remove} (keys
   * the workflow no longer has), and record {@code propagatedLabels} as the keys it now copies.
   */
  record PatchJobLabels(String namespace, String jobName, Map<String, String> set,
      List<String> remove, List<String> propagatedLabels) implements Action {}

  /**
   * Write the Workflow's status, guarded by the resourceVersion it was planned from. The events
   * describe this transition and are recorded only once the write succeeded.
   */
  record PatchStatus(
      String namespace,
      String workflowName,
      String workflowUid,
      String resourceVersion,
      WorkflowStatus status,
      List<WorkflowEvent> events) implements Action {}
}
