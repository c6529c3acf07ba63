package com.crd.workflow.core.render;

import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layout.Edge;
import com.crd.workflow.core.layout.Layout.EdgeKind;
import com.crd.workflow.core.layout.Layout.Node;
import com.crd.workflow.core.layout.Layout.NodeKind;
import java.util.List;

/** A laid-out DAG as Graphviz DOT; each layer is one {@code rank=same}, so dot keeps our waves. */
public final class Dot {
  private Dot() {}

  public static String render(String name, Layout layout, List<String> problems) {
    StringBuilder b = new StringBuilder();
    problems.forEach(p -> b.append("// problem: ").append(p.replace("\n", " ")).append('\n'));
    b.append("digraph \"").append(Escape.dot(name)).append("\" {\n");
    b.append("  rankdir=TB;\n");
    b.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f3f4f6\", fontname=\"monospace\"];\n");
    for (Node n : layout.nodes()) {
      b.append("  \"").append(Escape.dot(n.name())).append('"');
      if (n.kind() == NodeKind.MISSING) {
        b.append(" [style=\"rounded,dashed\", color=\"#d97706\", tooltip=\"no such step\"]");
      }
      b.append(";\n");
    }
    for (Edge e : layout.edges()) {
      b.append("  \"").append(Escape.dot(e.from())).append("\" -> \"").append(Escape.dot(e.to()))
          .append('"');
      if (e.kind() == EdgeKind.CYCLE) {
        b.append(" [color=\"#dc2626\", style=dashed, penwidth=1.8, tooltip=\"on a dependency cycle\"]");
      } else if (e.kind() == EdgeKind.UNKNOWN) {
        b.append(" [color=\"#d97706\", style=dashed, tooltip=\"no such step\"]");
      }
      b.append(";\n");
    }
    for (List<String> layer : layout.layers()) {
      if (layer.size() > 1) {
        b.append("  { rank=same;");
        layer.forEach(n -> b.append(" \"").append(Escape.dot(n)).append("\";"));
        b.append(" }\n");
      }
    }
    return b.append("}\n").toString();
  }
}
