package com.crd.workflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reason label of workflow_operator_steps_retrying, from a retrying step's message. */
class RetryReasonTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "attempt 1 of 3 failed: exit code 2; next attempt at 2026-01-01T00:00:10Z | exit_code",
      "attempt 2 of 3 failed: OOMKilled (memory limit 512Mi); next attempt at 2026-01-01T00:00:10Z | oom_killed",
      "attempt 1 of 3 timed out after 60s: ImagePullBackOff: Back-off pulling image | timed_out",
      "attempt 1 of 2 failed: evicted (DisruptionTarget); next attempt at 2026-01-01T00:00:10Z | evicted",
      "attempt 1 of 2 failed: BackoffLimitExceeded; next attempt at 2026-01-01T00:00:10Z | other",
  })
  void reasons(String message, String reason) {
    assertEquals(reason, Metrics.retryReason(message));
  }

  @org.junit.jupiter.api.Test
  void noMessageIsOther() {
    assertEquals("other", Metrics.retryReason(null));
  }
}
