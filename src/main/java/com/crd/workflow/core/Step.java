package com.crd.workflow.core;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code spec.containers}: a step that runs as one Job. {@code command} may be null.
 *
 * @param container the step's other Kubernetes Container fields ({@code args}, {@code env},
 *     {@code resources}, ...) as plain data (see {@link Data}), exactly as written; empty if none
 * @param retries the step's own {@code retries}, which wins over the workflow's; null if unset
 */
public record Step(String stepName, String image, List<String> command, List<String> dependsOn,
    Map<String, Object> container, Retries retries) {
  /** The Container fields a step may set besides stepName, image, command and dependsOn. */
  public static final List<String> CONTAINER_FIELDS = List.of("args", "env", "envFrom",
      "resources", "volumeMounts", "workingDir", "imagePullPolicy", "securityContext");

  public Step {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    command = command == null ? null : List.copyOf(command);
    container = Data.frozenMap(container);
  }

  public Step(String stepName, String image, List<String> command, List<String> dependsOn) {
    this(stepName, image, command, dependsOn, Map.of(), null);
  }

  public Step(String stepName, String image, List<String> command, List<String> dependsOn,
      Map<String, Object> container) {
    this(stepName, image, command, dependsOn, container, null);
  }
}
