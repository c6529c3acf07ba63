package com.crd.workflow.core;

import java.util.List;

/** One entry of {@code spec.containers}: a step that runs as one Job. {@code command} may be null. */
public record Step(String stepName, String image, List<String> command, List<String> dependsOn) {
  public Step {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    command = command == null ? null : List.copyOf(command);
  }
}
