package com.crd.workflow.core;

import java.util.List;

/** {@code spec} of a Workflow. {@code maxStepTimeout} is in seconds; -1 means unlimited. */
public record WorkflowSpec(long maxStepTimeout, List<Step> steps) {
  public static final long DEFAULT_TIMEOUT_SECONDS = 60;
  public static final long UNLIMITED = -1;

  public WorkflowSpec {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public boolean unlimited() {
    return maxStepTimeout == UNLIMITED;
  }
}
