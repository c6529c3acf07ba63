package com.crd.workflow.core.layout;

import java.util.List;

/**
 * A workflow's DAG laid out for drawing: layers top to bottom (layer 0 holds the roots), nodes
 * left to right within a layer, edges from a dependency to the step that waits for it. Positions
 * are in pixels; {@code x, y} is a node's top-left corner.
 *
 * @param layers the node names of each layer, in drawing order
 * @param crossings edge crossings left after ordering (long edges counted along their route)
 */
public record Layout(List<Node> nodes, List<Edge> edges, List<List<String>> layers, double width,
    double height, int crossings) {

  /** A step, or a name some step depends on that is not a step (drawn as a missing node). */
  public enum NodeKind { STEP, MISSING }

  /** {@code CYCLE}: the edge lies on a dependency cycle; {@code UNKNOWN}: it leaves a missing node. */
  public enum EdgeKind { DEPENDENCY, CYCLE, UNKNOWN }

  public record Point(double x, double y) {}

  public record Node(String name, NodeKind kind, int layer, int order, double x, double y,
      double width, double height) {
    public double centerX() {
      return x + width / 2;
    }
  }

  /** {@code points} run from {@code from} (the dependency) to {@code to} (the dependent step). */
  public record Edge(String from, String to, EdgeKind kind, List<Point> points) {}

  public Layout {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    layers = layers.stream().map(List::copyOf).toList();
  }

  public Node node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
  }

  /** Longest label drawn in full; longer names are cut with an ellipsis (the full name is kept as a title). */
  public static final int LABEL_CHARS = 30;

  public static String label(String name) {
    return name.length() <= LABEL_CHARS ? name : name.substring(0, LABEL_CHARS - 1) + "\u2026";
  }
}
