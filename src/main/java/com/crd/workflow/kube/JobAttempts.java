package com.crd.workflow.kube;

import com.google.gson.JsonObject;

/** How many pods a Job has run or is running, from its status counters: a step's attempts. */
public final class JobAttempts {
  private JobAttempts() {}

  /** At least 1 once the Job exists: a Job whose pod is not created yet is on its first attempt. */
  public static int of(JsonObject job) {
    long n = Json.num(job, 0, "status", "failed") + Json.num(job, 0, "status", "succeeded")
        + Json.num(job, 0, "status", "active");
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
  }
}
