package com.crd.workflow.core.layout;

import com.crd.workflow.core.Step;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.layout.Layout.Edge;
import com.crd.workflow.core.layout.Layout.EdgeKind;
import com.crd.workflow.core.layout.Layout.Node;
import com.crd.workflow.core.layout.Layout.NodeKind;
import com.crd.workflow.core.layout.Layout.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Lays out a spec as a layered drawing (Sugiyama): layers by longest path from the roots, so a
 * step's layer is its wave; long edges routed through one virtual point per layer they cross;
 * barycenter sweeps to reduce crossings. Pure and deterministic: every choice breaks ties by
 * name, so reordering {@code containers} or {@code dependsOn} never changes the picture.
 *
 * <p>Invalid specs still lay out: a dependency on a step that does not exist becomes a
 * {@link NodeKind#MISSING} node with {@link EdgeKind#UNKNOWN} edges, and every edge on a cycle is
 * {@link EdgeKind#CYCLE} (cycles are broken for layering by reversing DFS back edges).
 */
public final class Layouts {
  static final double NODE_HEIGHT = 36;
  static final double LAYER_GAP = 56;
  static final double NODE_GAP = 24;
  static final double VIRTUAL_GAP = 10;
  static final double MARGIN = 20;
  static final double CHAR_WIDTH = 7.2; // 12px monospace
  static final double MIN_WIDTH = 64;

  private Layouts() {}

  public static double nodeWidth(String name) {
    return Math.max(MIN_WIDTH, Math.ceil(Layout.label(name).length() * CHAR_WIDTH) + 36);
  }

  public static Layout layout(WorkflowSpec spec) {
    // Nodes: steps by name, then names depended on that are not steps.
    TreeMap<String, TreeSet<String>> deps = new TreeMap<>();
    for (Step s : spec.steps()) {
      if (s.stepName() != null && !s.stepName().isEmpty()) {
        deps.computeIfAbsent(s.stepName(), k -> new TreeSet<>()).addAll(
            s.dependsOn().stream().filter(d -> d != null && !d.isEmpty()).toList());
      }
    }
    TreeSet<String> missing = new TreeSet<>();
    deps.values().forEach(ds -> ds.stream().filter(d -> !deps.containsKey(d)).forEach(missing::add));
    List<String> names = new ArrayList<>(deps.keySet());
    names.addAll(missing);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    int n = names.size();
    List<int[]> edges = new ArrayList<>(); // {from, to}: dependency -> dependent, sorted
    deps.forEach((step, ds) -> ds.forEach(d -> edges.add(new int[] {index.get(d), index.get(step)})));

    int[] component = Cycles.components(n, edges);
    boolean[] backEdge = Cycles.backEdges(n, edges);
    int[] layer = layers(n, edges, backEdge);

    // Proper layered graph: long edges pass through one virtual vertex per layer they cross.
    // The long edges leaving one step share those vertices (a trunk that branches off at each
    // target's layer): fewer lines to read, and far fewer vertices to order at 100 x 16.
    Ordering g = new Ordering(layer);
    int layerCount = java.util.Arrays.stream(layer).max().orElse(0) + 1;
    int[][] trunk = new int[2 * n][]; // [2 * top + (back edge ? 1 : 0)][layer] -> vertex + 1
    List<List<Integer>> routes = new ArrayList<>();
    for (int e = 0; e < edges.size(); e++) {
      int[] ed = edges.get(e);
      if (ed[0] == ed[1]) {
        routes.add(List.of(ed[0]));
        continue;
      }
      int top = backEdge[e] ? ed[1] : ed[0];
      int bottom = backEdge[e] ? ed[0] : ed[1];
      List<Integer> route = new ArrayList<>(List.of(top));
      int[] t = layer[bottom] - layer[top] > 1
          ? trunk[2 * top + (backEdge[e] ? 1 : 0)] == null
              ? (trunk[2 * top + (backEdge[e] ? 1 : 0)] = new int[layerCount])
              : trunk[2 * top + (backEdge[e] ? 1 : 0)]
          : null;
      for (int l = layer[top] + 1; l < layer[bottom]; l++) {
        if (t[l] == 0) {
          t[l] = g.addVirtual(l) + 1;
        }
        route.add(t[l] - 1);
      }
      route.add(bottom);
      for (int i = 0; i + 1 < route.size(); i++) {
        g.linkOnce(route.get(i), route.get(i + 1));
      }
      routes.add(route);
    }
    int crossings = g.order();

    // Coordinates: each layer packed left to right and centred on the widest.
    int vertices = g.size();
    double[] width = new double[vertices];
    for (int v = 0; v < vertices; v++) {
      width[v] = v < n ? nodeWidth(names.get(v)) : 0;
    }
    double[] x = new double[vertices];
    double widest = 0;
    double[] layerWidth = new double[g.layerCount()];
    for (int l = 0; l < g.layerCount(); l++) {
      double at = 0;
      List<Integer> row = g.layer(l);
      for (int i = 0; i < row.size(); i++) {
        int v = row.get(i);
        if (i > 0) {
          at += v >= n && row.get(i - 1) >= n ? VIRTUAL_GAP : NODE_GAP;
        }
        x[v] = at;
        at += width[v];
      }
      layerWidth[l] = at;
      widest = Math.max(widest, at);
    }
    for (int l = 0; l < g.layerCount(); l++) {
      double shift = MARGIN + (widest - layerWidth[l]) / 2;
      g.layer(l).forEach(v -> x[v] += shift);
    }

    List<Node> nodes = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      nodes.add(new Node(names.get(v), v < deps.size() ? NodeKind.STEP : NodeKind.MISSING, layer[v],
          g.position(v), x[v], y(layer[v]), width[v], NODE_HEIGHT));
    }
    List<Edge> out = new ArrayList<>();
    for (int e = 0; e < edges.size(); e++) {
      int[] ed = edges.get(e);
      EdgeKind kind = ed[0] >= deps.size() ? EdgeKind.UNKNOWN
          : component[ed[0]] == component[ed[1]] ? EdgeKind.CYCLE : EdgeKind.DEPENDENCY;
      List<Point> points = ed[0] == ed[1] ? selfLoop(x[ed[0]] + width[ed[0]], y(layer[ed[0]]))
          : route(routes.get(e), x, width, layer, n);
      if (backEdge[e]) {
        points = new ArrayList<>(points);
        java.util.Collections.reverse(points);
      }
      out.add(new Edge(names.get(ed[0]), names.get(ed[1]), kind, points));
    }
    List<List<String>> layerNames = new ArrayList<>();
    for (int l = 0; l < g.layerCount(); l++) {
      layerNames.add(g.layer(l).stream().filter(v -> v < n).map(names::get).toList());
    }
    double height = g.layerCount() == 0 ? 2 * MARGIN : y(g.layerCount() - 1) + NODE_HEIGHT + MARGIN;
    return new Layout(nodes, out, layerNames, widest + 2 * MARGIN + (hasSelfLoop(edges) ? 24 : 0),
        height, crossings);
  }

  private static boolean hasSelfLoop(List<int[]> edges) {
    return edges.stream().anyMatch(e -> e[0] == e[1]);
  }

  private static double y(int layer) {
    return MARGIN + layer * (NODE_HEIGHT + LAYER_GAP);
  }

  /** From the bottom of the upper node, straight through each layer it crosses, to the top of the lower. */
  private static List<Point> route(List<Integer> route, double[] x, double[] width, int[] layer, int n) {
    List<Point> points = new ArrayList<>();
    int first = route.get(0);
    int last = route.get(route.size() - 1);
    points.add(new Point(x[first] + width[first] / 2, y(layer[first]) + NODE_HEIGHT));
    for (int i = 1; i + 1 < route.size(); i++) {
      int v = route.get(i);
      double top = y(layer[first] + i);
      points.add(new Point(x[v], top));
      points.add(new Point(x[v], top + NODE_HEIGHT));
    }
    points.add(new Point(x[last] + width[last] / 2, y(layer[last])));
    return points;
  }

  private static List<Point> selfLoop(double right, double top) {
    return List.of(new Point(right, top + 10), new Point(right + 20, top + 10),
        new Point(right + 20, top + NODE_HEIGHT - 10), new Point(right, top + NODE_HEIGHT - 10));
  }

  /** Longest path from the roots over the edges that are not back edges (self loops ignored). */
  static int[] layers(int n, List<int[]> edges, boolean[] backEdge) {
    List<List<Integer>> succ = new ArrayList<>();
    int[] indegree = new int[n];
    for (int i = 0; i < n; i++) {
      succ.add(new ArrayList<>());
    }
    for (int e = 0; e < edges.size(); e++) {
      int[] ed = edges.get(e);
      if (ed[0] == ed[1]) {
        continue;
      }
      int from = backEdge[e] ? ed[1] : ed[0];
      int to = backEdge[e] ? ed[0] : ed[1];
      succ.get(from).add(to);
      indegree[to]++;
    }
    int[] layer = new int[n];
    TreeSet<Integer> ready = new TreeSet<>();
    for (int v = 0; v < n; v++) {
      if (indegree[v] == 0) {
        ready.add(v);
      }
    }
    while (!ready.isEmpty()) {
      int v = ready.pollFirst();
      for (int w : succ.get(v)) {
        layer[w] = Math.max(layer[w], layer[v] + 1);
        if (--indegree[w] == 0) {
          ready.add(w);
        }
      }
    }
    return layer;
  }
}
