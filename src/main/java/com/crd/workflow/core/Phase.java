package com.crd.workflow.core;

/** The user's {@code workflow-status} values. */
public enum Phase {
  /** Accepted by the API server, not yet acted on by the operator (the CRD defaults to it). */
  Created,
  /** At least one step's Job was created for the current spec and not every step has finished. */
  Started,
  /** Every step's Job succeeded for the current spec. Final until the spec changes. */
  Completed,
  /** A step failed or timed out, or the spec is invalid. Final until the spec changes. */
  Failed;

  public boolean isFinal() {
    return this == Completed || this == Failed;
  }
}
