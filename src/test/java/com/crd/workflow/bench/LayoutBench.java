package com.crd.workflow.bench;

import com.crd.workflow.core.Step;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layouts;
import com.crd.workflow.core.render.Svg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code make bench}: time to lay out (and draw as SVG) the largest workflow the CRD allows, 100
 * steps with 16 dependencies each, once warm. Prints numbers; asserts nothing.
 */
public final class LayoutBench {
  private LayoutBench() {}

  public static void main(String[] args) {
    System.out.printf("%-30s %8s %8s %8s %8s %8s %9s%n", "workflow (ms: best, median)", "layout", "",
        "svg", "", "points", "crossings");
    run("100 steps x 16 dependencies", largest(new Random(100)));
    run("100 steps, a chain", chain(100));
  }

  static void run(String label, WorkflowSpec spec) {
    for (int i = 0; i < 30; i++) {
      Svg.render("bench", Layouts.layout(spec), Map.of(), List.of());
    }
    int runs = 60;
    long[] layout = new long[runs];
    long[] svg = new long[runs];
    Layout l = null;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      l = Layouts.layout(spec);
      long u = System.nanoTime();
      Svg.render("bench", l, Map.of(), List.of());
      svg[i] = System.nanoTime() - u;
      layout[i] = u - t;
    }
    Arrays.sort(layout);
    Arrays.sort(svg);
    int points = l.edges().stream().mapToInt(e -> e.points().size()).sum();
    System.out.printf("%-30s %8.2f %8.2f %8.2f %8.2f %8d %9d%n", label, layout[0] / 1e6,
        layout[runs / 2] / 1e6, svg[0] / 1e6, svg[runs / 2] / 1e6, points, l.crossings());
  }

  /** Step i depends on 16 distinct earlier steps (all earlier ones while fewer than 16 exist). */
  public static WorkflowSpec largest(Random r) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      List<Integer> earlier = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        earlier.add(j);
      }
      Collections.shuffle(earlier, r);
      List<String> deps = earlier.stream().limit(16).sorted().map(j -> String.format("step-%03d", j)).toList();
      steps.add(new Step(String.format("step-%03d", i), "busybox:1.36", null, deps));
    }
    return new WorkflowSpec(60, steps);
  }

  static WorkflowSpec chain(int n) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      steps.add(new Step("s" + i, "busybox:1.36", null, i == 0 ? List.of() : Arrays.asList("s" + (i - 1))));
    }
    return new WorkflowSpec(60, steps);
  }
}
