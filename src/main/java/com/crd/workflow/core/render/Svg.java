package com.crd.workflow.core.render;

import com.crd.workflow.core.StepState;
import com.crd.workflow.core.StepStatus;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layout.Edge;
import com.crd.workflow.core.layout.Layout.EdgeKind;
import com.crd.workflow.core.layout.Layout.Node;
import com.crd.workflow.core.layout.Layout.NodeKind;
import com.crd.workflow.core.layout.Layout.Point;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A laid-out DAG as one self-contained SVG document: inline styles, no scripts, no external fonts
 * (the generic {@code monospace} family), so it can be opened from disk or embedded in a page.
 * Each step is a {@code <g class="node ...">} with a {@code <title>} holding its full name, state
 * and message; each dependency is a {@code <path class="edge ...">}.
 */
public final class Svg {
  private Svg() {}

  static final String STYLE = """
      .node rect{fill:#f3f4f6;stroke:#6b7280;stroke-width:1.5}
      .node text{font:12px monospace;fill:#111827;dominant-baseline:central}
      .node.Running rect{fill:#dbeafe;stroke:#2563eb}
      .node.Queued rect{fill:#cffafe;stroke:#0891b2}
      .node.Retrying rect{fill:#fef3c7;stroke:#d97706}
      .node.Skipped rect{fill:#f9fafb;stroke:#9ca3af;stroke-dasharray:2 2}
      .node.Succeeded rect{fill:#dcfce7;stroke:#16a34a}
      .node.Failed rect{fill:#fee2e2;stroke:#dc2626}
      .node.missing rect{fill:#fff;stroke:#d97706;stroke-dasharray:4 3}
      .edge{fill:none;stroke:#6b7280;stroke-width:1.2}
      .edge.cycle{stroke:#dc2626;stroke-dasharray:5 3;stroke-width:1.8}
      .edge.unknown{stroke:#d97706;stroke-dasharray:5 3}
      .problem{font:12px monospace;fill:#dc2626}
      """;

  /**
   * @param steps the observed state of each step by name (empty before anything ran)
   * @param problems validation messages, written under the drawing
   */
  public static String render(String title, Layout layout, Map<String, StepStatus> steps,
      List<String> problems) {
    double problemsHeight = problems.isEmpty() ? 0 : 10 + 18 * problems.size();
    double width = Math.max(layout.width(), problems.stream()
        .mapToDouble(p -> 40 + 7.2 * p.length()).max().orElse(0));
    double height = layout.height() + problemsHeight;
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(width))
        .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width))
        .append(' ').append(num(height)).append("\" role=\"img\">\n");
    b.append("<title>").append(Escape.xml(title)).append("</title>\n");
    b.append("<style>\n").append(STYLE).append("</style>\n");
    b.append("<defs>");
    marker(b, "arrow", "#6b7280");
    marker(b, "arrow-cycle", "#dc2626");
    marker(b, "arrow-unknown", "#d97706");
    b.append("</defs>\n");
    for (Edge e : layout.edges()) {
      String cls = e.kind() == EdgeKind.CYCLE ? "cycle" : e.kind() == EdgeKind.UNKNOWN ? "unknown" : "";
      String mark = e.kind() == EdgeKind.CYCLE ? "arrow-cycle"
          : e.kind() == EdgeKind.UNKNOWN ? "arrow-unknown" : "arrow";
      b.append("<path class=\"edge").append(cls.isEmpty() ? "" : " " + cls)
          .append("\" data-from=\"").append(Escape.xml(e.from())).append("\" data-to=\"")
          .append(Escape.xml(e.to())).append("\" d=\"").append(path(e.points()))
          .append("\" marker-end=\"url(#").append(mark).append(")\"><title>")
          .append(Escape.xml(e.to() + " depends on " + e.from()
              + (e.kind() == EdgeKind.CYCLE ? " (on a dependency cycle)"
                  : e.kind() == EdgeKind.UNKNOWN ? " (no such step)" : "")))
          .append("</title></path>\n");
    }
    for (Node n : layout.nodes()) {
      StepStatus s = steps.get(n.name());
      StepState state = s == null ? StepState.Waiting : s.state();
      boolean missing = n.kind() == NodeKind.MISSING;
      b.append("<g class=\"node ").append(missing ? "missing" : state.name())
          .append("\" data-step=\"").append(Escape.xml(n.name())).append("\" data-state=\"")
          .append(missing ? "Missing" : state.name()).append("\">");
      String tip = n.name() + (missing ? ": no such step" : ": " + state.name())
          + (s != null && s.message() != null ? " - " + s.message() : "");
      b.append("<title>").append(Escape.xml(tip)).append("</title>");
      b.append("<rect x=\"").append(num(n.x())).append("\" y=\"").append(num(n.y()))
          .append("\" width=\"").append(num(n.width())).append("\" height=\"")
          .append(num(n.height())).append("\" rx=\"6\"/>");
      b.append("<text x=\"").append(num(n.x() + 10)).append("\" y=\"")
          .append(num(n.y() + n.height() / 2)).append("\">")
          .append(Escape.xml(States.symbol(missing ? null : state, true) + " " + Layout.label(n.name())))
          .append("</text></g>\n");
    }
    for (int i = 0; i < problems.size(); i++) {
      b.append("<text class=\"problem\" x=\"20\" y=\"").append(num(layout.height() + 18 * (i + 1)))
          .append("\">").append(Escape.xml(problems.get(i))).append("</text>\n");
    }
    return b.append("</svg>\n").toString();
  }

  private static void marker(StringBuilder b, String id, String colour) {
    b.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M0,0L10,5L0,10z\" fill=\"").append(colour).append("\"/></marker>");
  }

  /** Smooth vertical curves between consecutive points; straight runs through crossed layers. */
  static String path(List<Point> points) {
    StringBuilder d = new StringBuilder("M").append(num(points.get(0).x())).append(',')
        .append(num(points.get(0).y()));
    for (int i = 1; i < points.size(); i++) {
      Point a = points.get(i - 1);
      Point p = points.get(i);
      if (a.x() == p.x() || a.y() == p.y()) {
        d.append("L").append(num(p.x())).append(',').append(num(p.y()));
      } else {
        double mid = (a.y() + p.y()) / 2;
        d.append("C").append(num(a.x())).append(',').append(num(mid)).append(' ').append(num(p.x()))
            .append(',').append(num(mid)).append(' ').append(num(p.x())).append(',').append(num(p.y()));
      }
    }
    return d.toString();
  }

  static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
