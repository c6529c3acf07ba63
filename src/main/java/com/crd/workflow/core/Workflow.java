package com.crd.workflow.core;

import java.util.Map;

/**
 * A Workflow as the operator observed it.
 *
 * @param spec the parsed spec, or null when {@code specError} says why it could not be read
 * @param status the status last written, or null when there is none yet
 * @param resourceVersion guards the status write against concurrent writers
 * @param createdAt {@code metadata.creationTimestamp}: orders workflows sharing a global cap
 * @param rerunToken the {@code workflow.crd.com/rerun} annotation, else null
 */
public record Workflow(
    String namespace,
    String name,
    String uid,
    Map<String, String> labels,
    long generation,
    String resourceVersion,
    boolean deleting,
    WorkflowSpec spec,
    String specError,
    WorkflowStatus status,
    java.time.Instant createdAt,
    String rerunToken) {
  public Workflow {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public Workflow(String namespace, String name, String uid, Map<String, String> labels,
      long generation, String resourceVersion, boolean deleting, WorkflowSpec spec,
      String specError, WorkflowStatus status) {
    this(namespace, name, uid, labels, generation, resourceVersion, deleting, spec, specError,
        status, null);
  }

  public Workflow(String namespace, String name, String uid, Map<String, String> labels,
      long generation, String resourceVersion, boolean deleting, WorkflowSpec spec,
      String specError, WorkflowStatus status, java.time.Instant createdAt) {
    this(namespace, name, uid, labels, generation, resourceVersion, deleting, spec, specError,
        status, createdAt, null);
  }

  /** The same workflow as if its status were {@code s}. */
  public Workflow withStatus(WorkflowStatus s) {
    return new Workflow(namespace, name, uid, labels, generation, resourceVersion, deleting, spec,
        specError, s, createdAt, rerunToken);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
