package com.crd.workflow.core.render;

import com.crd.workflow.core.Step;
import com.crd.workflow.core.StepState;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layout.NodeKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One row per step of a workflow, wave by wave, with what was observed of it: for get and the web view. */
public final class StepRows {
  private StepRows() {}

  /**
   * @param attempts pods a Job has run (or is running), or null when unknown
   */
  public record Row(String name, int wave, List<String> dependsOn, StepState state, String job,
      String startedAt, String finishedAt, Duration duration, Integer attempts, String message) {}

  /** Steps in wave order, then by name; a step the status does not mention yet is Waiting. */
  public static List<Row> of(Workflow wf, Layout layout, Function<String, Integer> attempts,
      Instant now) {
    Map<String, StepStatus> observed = observed(wf);
    Map<String, List<String>> deps = new HashMap<>();
    if (wf.spec() != null) {
      for (Step s : wf.spec().steps()) {
        if (s.stepName() != null) {
          deps.putIfAbsent(s.stepName(), s.dependsOn().stream().distinct().sorted().toList());
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int l = 0; l < layout.layers().size(); l++) {
      for (String name : layout.layers().get(l).stream().sorted().toList()) {
        if (layout.node(name).kind() != NodeKind.STEP) {
          continue;
        }
        StepStatus s = observed.get(name);
        Integer tries = s == null || s.job() == null ? null
            : attempts.apply(wf.namespace() + "/" + s.job());
        rows.add(new Row(name, l + 1, deps.getOrDefault(name, List.of()),
            s == null ? StepState.Waiting : s.state(), s == null ? null : s.job(),
            s == null ? null : s.startedAt(), s == null ? null : s.finishedAt(),
            s == null ? null : Durations.of(s, now), tries, s == null ? null : s.message()));
      }
    }
    return rows;
  }

  public static Map<String, StepStatus> observed(Workflow wf) {
    Map<String, StepStatus> byName = new HashMap<>();
    if (wf.status() != null) {
      wf.status().steps().forEach(s -> byName.put(s.name(), s));
    }
    return byName;
  }
}
