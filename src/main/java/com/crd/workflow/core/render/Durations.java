package com.crd.workflow.core.render;

import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** How long a step or a workflow has run, from its recorded times and {@code now}. */
public final class Durations {
  private Durations() {}

  /** Null when the step has not started. */
  public static Duration of(StepStatus s, Instant now) {
    Instant start = time(s.startedAt());
    if (start == null) {
      return null;
    }
    Instant end = time(s.finishedAt());
    return between(start, end != null ? end : now);
  }

  /** From the first step's start to the last step's end (or now, while one runs); null before. */
  public static Duration of(WorkflowStatus status, Instant now) {
    if (status == null) {
      return null;
    }
    Instant start = null;
    Instant end = null;
    boolean open = false;
    for (StepStatus s : status.steps()) {
      Instant a = time(s.startedAt());
      if (a == null) {
        continue;
      }
      start = start == null || a.isBefore(start) ? a : start;
      Instant b = time(s.finishedAt());
      if (b == null) {
        open = true;
      } else {
        end = end == null || b.isAfter(end) ? b : end;
      }
    }
    if (start == null) {
      return null;
    }
    boolean finished = status.phase() != null && status.phase().isFinal();
    return between(start, open && !finished || end == null ? now : end);
  }

  private static Duration between(Instant a, Instant b) {
    Duration d = Duration.between(a, b);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** {@code 45s}, {@code 3m05s}, {@code 2h01m}; {@code -} for null. */
  public static String format(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }

  static Instant time(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
