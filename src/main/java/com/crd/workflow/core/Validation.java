package com.crd.workflow.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operator's own check of a spec. The CRD rejects most of this at admission; this runs again
 * for clusters without CEL and objects stored before the CRD changed. Messages are user-facing.
 */
public final class Validation {
  /** Bounded so the CRD's dependsOn rule fits the API server's CEL cost budget (see README). */
  public static final int MAX_STEPS = 100;
  public static final int MAX_DEPENDENCIES = 16;

  private Validation() {}

  /** Every problem of the spec, in a stable order; empty when valid. */
  public static List<String> problems(WorkflowSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.maxStepTimeout() != WorkflowSpec.UNLIMITED && spec.maxStepTimeout() < 1) {
      problems.add("spec.maxStepTimeout must be -1 (unlimited) or at least 1 second, got "
          + spec.maxStepTimeout());
    }
    if (spec.activeDeadlineSeconds() != null && spec.activeDeadlineSeconds() < 1) {
      problems.add("spec.activeDeadlineSeconds must be at least 1 second, got "
          + spec.activeDeadlineSeconds());
    }
    notNegative(problems, "spec.ttlSecondsAfterFinished", spec.ttlSecondsAfterFinished());
    notNegative(problems, "spec.jobRetention.onSuccess", spec.retainJobsOnSuccess());
    notNegative(problems, "spec.jobRetention.onFailure", spec.retainJobsOnFailure());
    List<Step> steps = spec.steps();
    if (steps.isEmpty()) {
      problems.add("spec.containers must list at least one step");
      return problems;
    }
    if (steps.size() > MAX_STEPS) {
      problems.add("spec.containers has " + steps.size() + " steps; at most " + MAX_STEPS
          + " are allowed");
    }
    Set<String> names = new HashSet<>();
    for (Step s : steps) {
      String name = s.stepName();
      if (name == null || name.isEmpty()) {
        problems.add("a step has no stepName");
        continue;
      }
      if (!Names.isDnsLabel(name)) {
        problems.add("step \"" + name + "\": stepName must be a DNS-1123 label (lowercase letters,"
            + " digits and '-', starting and ending with a letter or digit, at most 63 characters)");
      }
      if (!names.add(name)) {
        problems.add("duplicate step name " + name);
      }
      if (s.image() == null || s.image().isBlank()) {
        problems.add("step " + name + ": image must not be empty");
      }
      if (s.dependsOn().size() > MAX_DEPENDENCIES) {
        problems.add("step " + name + ": dependsOn lists " + s.dependsOn().size()
            + " steps; at most " + MAX_DEPENDENCIES + " are allowed");
      }
    }
    for (Step s : steps) {
      for (String dep : s.dependsOn()) {
        if (dep.equals(s.stepName())) {
          problems.add("step " + s.stepName() + " depends on itself");
        } else if (!names.contains(dep)) {
          problems.add("step " + s.stepName() + " depends on unknown step " + dep);
        }
      }
    }
    problems.addAll(runProblems(spec));
    if (problems.isEmpty()) {
      List<String> cycle = findCycle(steps);
      if (!cycle.isEmpty()) {
        problems.add("dependency cycle: " + String.join(" -> ", cycle));
      }
    }
    return problems;
  }

  private static void notNegative(List<String> problems, String field, Long seconds) {
    if (seconds != null && seconds < 0) {
      problems.add(field + " must be 0 or more seconds, got " + seconds);
    }
  }

  /**
   * Exit codes are 1..255: 0 is success, which no rule may match (the Job API rejects it for In),
   * and a container's exit code is one byte.
   */
  static void retryProblems(String at, Retries r, List<String> problems) {
    if (r == null) {
      return;
    }
    if (r.limit() < 0 || r.limit() > Retries.MAX_LIMIT) {
      problems.add(at + ".limit must be between 0 and " + Retries.MAX_LIMIT + ", got " + r.limit());
    }
    if (r.seconds() < 1) {
      problems.add(at + ".backoff.seconds must be at least 1, got " + r.seconds());
    }
    if (!(r.factor() >= 1) || Double.isInfinite(r.factor())) {
      problems.add(at + ".backoff.factor must be at least 1, got " + r.factor());
    }
    if (r.maxSeconds() < 1) {
      problems.add(at + ".backoff.maxSeconds must be at least 1, got " + r.maxSeconds());
    }
    for (String field : List.of("onExitCodes", "neverOnExitCodes")) {
      List<Integer> codes = field.equals("onExitCodes") ? r.onExitCodes() : r.neverOnExitCodes();
      codes.stream().filter(c -> c < 1 || c > 255).distinct().forEach(c -> problems.add(
          at + "." + field + ": exit code " + c + " is outside 1..255"));
    }
    r.onExitCodes().stream().filter(r.neverOnExitCodes()::contains).distinct().sorted()
        .forEach(c -> problems.add(at + ": exit code " + c
            + " is in both onExitCodes and neverOnExitCodes"));
  }

  /** Problems of the fields that shape a step's pod and of parallelism and queueName. */
  static List<String> runProblems(WorkflowSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.parallelism() != null && spec.parallelism() < 1) {
      problems.add("spec.parallelism must be at least 1, got " + spec.parallelism());
    }
    if (spec.queueName() != null && (spec.queueName().isEmpty() || !Names.isLabelValue(spec.queueName()))) {
      problems.add("spec.queueName must be a valid label value (at most 63 letters, digits, '-', '_'"
          + " or '.', starting and ending with a letter or digit), got \"" + spec.queueName() + "\"");
    }
    Set<String> volumes = new HashSet<>();
    for (Object v : Data.list(spec.podTemplate(), "volumes")) {
      String name = Data.string(v, "name");
      if (name != null) {
        volumes.add(name);
      }
    }
    containerProblems("spec.stepDefaults", spec.stepDefaults(), volumes, problems);
    retryProblems("spec.retries", spec.retries(), problems);
    for (Step s : spec.steps()) {
      containerProblems("step " + s.stepName(), s.container(), volumes, problems);
      retryProblems("step " + s.stepName() + ": retries", s.retries(), problems);
    }
    return problems;
  }

  private static void containerProblems(String at, Map<String, Object> c, Set<String> volumes,
      List<String> problems) {
    Map<String, Object> resources = Data.map(c, "resources");
    Map<String, java.math.BigDecimal> requests = quantities(at, "requests", resources, problems);
    Map<String, java.math.BigDecimal> limits = quantities(at, "limits", resources, problems);
    limits.forEach((name, limit) -> {
      java.math.BigDecimal request = requests.get(name);
      if (request != null && limit.compareTo(request) < 0) {
        problems.add(at + ": resources.limits." + name + " (" + Data.map(resources, "limits").get(name)
            + ") is below resources.requests." + name + " ("
            + Data.map(resources, "requests").get(name) + ")");
      }
    });
    List<?> env = Data.list(c, "env");
    for (int i = 0; i < env.size(); i++) {
      String name = Data.string(env.get(i), "name");
      if (name == null || name.isEmpty()) {
        problems.add(at + ": env[" + i + "] has no name");
      } else if (env.get(i) instanceof Map<?, ?> e && e.get("value") != null
          && e.get("valueFrom") != null) {
        problems.add(at + ": env " + name + " sets both value and valueFrom");
      }
    }
    List<?> mounts = Data.list(c, "volumeMounts");
    for (int i = 0; i < mounts.size(); i++) {
      String name = Data.string(mounts.get(i), "name");
      if (name == null || !volumes.contains(name)) {
        problems.add(at + ": volumeMounts[" + i + "] names volume "
            + (name == null ? "(none)" : "\"" + name + "\"")
            + ", which spec.podTemplate.volumes does not declare");
      }
    }
  }

  private static Map<String, java.math.BigDecimal> quantities(String at, String kind,
      Map<String, Object> resources, List<String> problems) {
    Map<String, java.math.BigDecimal> out = new TreeMap<>();
    Data.map(resources, kind).forEach((name, q) -> {
      java.math.BigDecimal value = Quantities.parse(q);
      if (value == null) {
        problems.add(at + ": resources." + kind + "." + name + ": \"" + q
            + "\" is not a quantity (e.g. 500m, 2, 256Mi, 1Gi)");
      } else {
        out.put(name, value);
      }
    });
    return out;
  }

  /**
   * One dependency cycle as a closed path in dependency order ({@code a -> b -> a}: a depends on
   * b, b on a), starting from its smallest step name; empty when the graph is acyclic. Iterative,
   * so a long chain cannot overflow the stack.
   */
  static List<String> findCycle(List<Step> steps) {
    Map<String, List<String>> deps = new TreeMap<>();
    for (Step s : steps) {
      deps.put(s.stepName(), s.dependsOn().stream().distinct().sorted().toList());
    }
    Map<String, Integer> color = new HashMap<>(); // absent = new, 1 = on path, 2 = done
    for (String root : deps.keySet()) {
      if (color.containsKey(root)) {
        continue;
      }
      List<String> path = new ArrayList<>();
      List<Integer> next = new ArrayList<>();
      path.add(root);
      next.add(0);
      color.put(root, 1);
      while (!path.isEmpty()) {
        int top = path.size() - 1;
        String node = path.get(top);
        List<String> out = deps.getOrDefault(node, List.of());
        if (next.get(top) < out.size()) {
          String dep = out.get(next.get(top));
          next.set(top, next.get(top) + 1);
          Integer c = color.get(dep);
          if (c == null) {
            color.put(dep, 1);
            path.add(dep);
            next.add(0);
          } else if (c == 1) {
            return rotate(path.subList(path.indexOf(dep), path.size()));
          }
        } else {
          color.put(node, 2);
          path.remove(top);
          next.remove(top);
        }
      }
    }
    return List.of();
  }

  private static List<String> rotate(List<String> cycle) {
    int min = 0;
    for (int i = 1; i < cycle.size(); i++) {
      if (cycle.get(i).compareTo(cycle.get(min)) < 0) {
        min = i;
      }
    }
    List<String> closed = new ArrayList<>();
    for (int i = 0; i <= cycle.size(); i++) {
      closed.add(cycle.get((min + i) % cycle.size()));
    }
    return closed;
  }
}
