package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.*;
import static com.crd.workflow.core.PodMessagesTest.exited;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.ObservedJob.JobPhase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A failed Job seen before its pod's end: its workflow waits a moment for the exit code. */
class PodGraceTest {
  private final Workflow w = wf(spec(step("a")));
  /** Fixtures' failed Jobs finish at T0 + 1 s. */
  private final Instant failed = T0.plusSeconds(1);

  @Test
  @DisplayName("a failure without its pod's end waits until 2 s after the Job failed, never longer")
  void waitsForThePod() {
    List<ObservedJob> jobs = List.of(job(w, "a", JobPhase.FAILED, "BackoffLimitExceeded", T0));
    assertEquals(failed.plus(PodGrace.WAIT), PodGrace.until(jobs, failed.plusMillis(200)));
    assertNull(PodGrace.until(jobs, failed.plus(PodGrace.WAIT)), "then planned with what is known");
  }

  @Test
  @DisplayName("nothing to wait for: the pod's end is seen, a timeout, a running or succeeded Job")
  void nothingToWaitFor() {
    Instant now = failed.plusMillis(200);
    assertNull(PodGrace.until(List.of(job(w, "a", JobPhase.FAILED, "BackoffLimitExceeded", T0)
        .withPod(exited(2))), now));
    assertNull(PodGrace.until(List.of(job(w, "a", JobPhase.FAILED, "DeadlineExceeded", T0)), now));
    assertNull(PodGrace.until(List.of(job(w, "a", JobPhase.RUNNING, null, T0)), now));
    assertNull(PodGrace.until(List.of(job(w, "a", JobPhase.SUCCEEDED, null, T0)), now));
  }
}
