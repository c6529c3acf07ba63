package com.crd.workflow.core.render;

import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layout.Edge;
import com.crd.workflow.core.layout.Layout.EdgeKind;
import com.crd.workflow.core.layout.Layout.Node;
import com.crd.workflow.core.layout.Layout.NodeKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A laid-out DAG as a Mermaid flowchart (pastes into GitHub Markdown). Node ids are {@code s0,
 * s1, ...} because step names such as {@code end} are Mermaid keywords; the names are labels.
 */
public final class Mermaid {
  private Mermaid() {}

  public static String render(String name, Layout layout, List<String> problems) {
    StringBuilder b = new StringBuilder();
    b.append("%% workflow ").append(comment(name)).append('\n');
    problems.forEach(p -> b.append("%% problem: ").append(comment(p)).append('\n'));
    b.append("flowchart TD\n");
    Map<String, String> id = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (Node n : layout.nodes()) {
      String i = "s" + id.size();
      id.put(n.name(), i);
      b.append("  ").append(i).append("[\"").append(Escape.mermaid(n.name())).append("\"]\n");
      if (n.kind() == NodeKind.MISSING) {
        missing.add(i);
      }
    }
    List<Integer> cycle = new ArrayList<>();
    List<Integer> unknown = new ArrayList<>();
    for (int k = 0; k < layout.edges().size(); k++) {
      Edge e = layout.edges().get(k);
      b.append("  ").append(id.get(e.from())).append(" --> ").append(id.get(e.to())).append('\n');
      if (e.kind() == EdgeKind.CYCLE) {
        cycle.add(k);
      } else if (e.kind() == EdgeKind.UNKNOWN) {
        unknown.add(k);
      }
    }
    if (!missing.isEmpty()) {
      b.append("  classDef missing stroke:#d97706,stroke-dasharray:4 3\n");
      b.append("  class ").append(String.join(",", missing)).append(" missing\n");
    }
    linkStyle(b, cycle, "stroke:#dc2626,stroke-width:2px,stroke-dasharray:5 3");
    linkStyle(b, unknown, "stroke:#d97706,stroke-dasharray:5 3");
    return b.toString();
  }

  private static void linkStyle(StringBuilder b, List<Integer> edges, String style) {
    if (!edges.isEmpty()) {
      b.append("  linkStyle ").append(String.join(",", edges.stream().map(String::valueOf).toList()))
          .append(' ').append(style).append('\n');
    }
  }

  /** A comment line: nothing that could open a tag where the text is pasted into a page. */
  private static String comment(String s) {
    return s.replace("\n", " ").replace("<", "#lt;");
  }
}
