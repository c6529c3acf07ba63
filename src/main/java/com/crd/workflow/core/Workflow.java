package com.crd.workflow.core;

import java.util.Map;

/**
 * A Workflow as the operator observed it.
 *
 * @param spec the parsed spec, or null when {@code specError} says why it could not be read
 * @param status the status last written, or null when there is none yet
 * @param resourceVersion guards the status write against concurrent writers
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
    WorkflowStatus status) {
  public Workflow {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
