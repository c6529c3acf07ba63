package com.crd.workflow.core.render;

import com.crd.workflow.core.Waves;
import com.crd.workflow.core.WorkflowSpec;
import java.util.List;

/** The waves of a valid spec as plain text: what {@code plan} prints. */
public final class Text {
  private Text() {}

  public static String waves(String name, WorkflowSpec spec) {
    StringBuilder b = new StringBuilder();
    b.append("workflow ").append(name).append(": ").append(spec.steps().size())
        .append(spec.steps().size() == 1 ? " step" : " steps").append(", maxStepTimeout ")
        .append(spec.unlimited() ? "unlimited" : spec.maxStepTimeout() + "s")
        .append(spec.parallelism() == null ? "" : ", parallelism " + spec.parallelism())
        .append(spec.queueName() == null ? "" : ", Kueue queue " + spec.queueName()).append('\n');
    List<List<String>> waves = Waves.of(spec);
    for (int i = 0; i < waves.size(); i++) {
      boolean limited = spec.parallelism() != null && waves.get(i).size() > spec.parallelism();
      b.append("  wave ").append(i + 1).append(": ").append(String.join(", ", waves.get(i)))
          .append(limited ? " (" + spec.parallelism() + " at a time, in this order)" : "")
          .append('\n');
    }
    return b.toString();
  }
}
