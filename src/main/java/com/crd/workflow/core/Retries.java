package com.crd.workflow.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code retries} of a step or of the workflow: how many more attempts a failed step gets, and how
 * long to wait before each. The delay before attempt n+1 is
 * {@code min(seconds * factor^(n-1), maxSeconds)} after attempt n finished.
 *
 * @param onExitCodes retry only failures with one of these exit codes; empty = any
 * @param neverOnExitCodes a failure with one of these exit codes fails the step at once
 */
public record Retries(int limit, long seconds, double factor, long maxSeconds,
    List<Integer> onExitCodes, List<Integer> neverOnExitCodes) {
  public static final long DEFAULT_SECONDS = 10;
  public static final double DEFAULT_FACTOR = 2;
  public static final long DEFAULT_MAX_SECONDS = 300;
  public static final int MAX_LIMIT = 10;

  public Retries {
    onExitCodes = onExitCodes == null ? List.of() : List.copyOf(onExitCodes);
    neverOnExitCodes = neverOnExitCodes == null ? List.of() : List.copyOf(neverOnExitCodes);
  }

  public Retries(int limit, long seconds, double factor, long maxSeconds) {
    this(limit, seconds, factor, maxSeconds, List.of(), List.of());
  }

  /** Attempts a step may make in all: the first and {@code limit} retries. */
  public int attempts() {
    return limit + 1;
  }

  /** The wait after attempt {@code n} (1-based) failed, in milliseconds, before attempt n+1. */
  public long delayMillis(int n) {
    double s = seconds * Math.pow(factor, Math.max(0, n - 1));
    double capped = Math.min(s, (double) maxSeconds);
    return (long) Math.ceil(capped * 1000);
  }

  /** When attempt n+1 may start, attempt n having finished at {@code finished}. */
  public Instant nextAttemptAt(Instant finished, int n) {
    return finished.plusMillis(delayMillis(n));
  }

  /** The canonical form that goes into the spec hash: it shapes every Job of the step. */
  Map<String, Object> data() {
    Map<String, Object> m = new TreeMap<>();
    m.put("limit", (long) limit);
    m.put("seconds", seconds);
    m.put("factor", factor == Math.rint(factor) ? (Object) (long) factor : (Object) factor);
    m.put("maxSeconds", maxSeconds);
    if (!onExitCodes.isEmpty()) {
      m.put("onExitCodes", onExitCodes.stream().map(Integer::longValue).sorted().toList());
    }
    if (!neverOnExitCodes.isEmpty()) {
      m.put("neverOnExitCodes", neverOnExitCodes.stream().map(Integer::longValue).sorted().toList());
    }
    return m;
  }
}
