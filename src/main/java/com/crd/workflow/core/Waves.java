package com.crd.workflow.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The execution waves of a valid spec: steps that start together when every step takes as long. */
public final class Waves {
  private Waves() {}

  /** Wave of a step = 1 + the latest wave among its dependencies. Spec must be valid (acyclic). */
  public static List<List<String>> of(WorkflowSpec spec) {
    Map<String, Step> byName = new HashMap<>();
    spec.steps().forEach(s -> byName.put(s.stepName(), s));
    Map<String, Integer> wave = new HashMap<>();
    TreeMap<Integer, List<String>> waves = new TreeMap<>();
    for (Step s : spec.steps()) {
      int w = waveOf(s.stepName(), byName, wave);
      waves.computeIfAbsent(w, k -> new ArrayList<>()).add(s.stepName());
    }
    List<List<String>> out = new ArrayList<>();
    waves.values().forEach(names -> out.add(names.stream().sorted().toList()));
    return out;
  }

  private static int waveOf(String name, Map<String, Step> byName, Map<String, Integer> memo) {
    Integer known = memo.get(name);
    if (known != null) {
      return known;
    }
    // Iterative post-order: no recursion, so no chain is long enough to overflow the stack.
    List<String> stack = new ArrayList<>(List.of(name));
    while (!stack.isEmpty()) {
      String top = stack.get(stack.size() - 1);
      int max = 0;
      boolean ready = true;
      for (String d : byName.get(top).dependsOn()) {
        Integer w = memo.get(d);
        if (w == null) {
          stack.add(d);
          ready = false;
        } else {
          max = Math.max(max, w);
        }
      }
      if (ready) {
        memo.put(top, max + 1);
        stack.remove(stack.size() - 1);
      }
    }
    return memo.get(name);
  }
}
