package com.crd.workflow.core.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The order of vertices within each layer of a proper layered graph (every edge joins adjacent
 * layers), chosen to reduce crossings: alternating barycenter sweeps down and up, keeping the best
 * order seen, then adjacent swaps while they help on small graphs. Ties keep the current order,
 * and the first order is by vertex index (names sorted), so the result is deterministic.
 */
final class Ordering {
  private static final int MAX_SWEEPS = 24;
  private static final int PATIENCE = 6;
  private static final int TRANSPOSE_LIMIT = 600; // vertices; swaps cost O(layer width^2) each

  private final List<Integer> layerOf = new ArrayList<>();
  private final List<List<Integer>> up = new ArrayList<>();
  private final List<List<Integer>> down = new ArrayList<>();
  private final List<List<Integer>> layers = new ArrayList<>();
  private int[] pos = new int[0];
  private double[] key = new double[0];
  private final Comparator<Integer> byKey =
      Comparator.<Integer>comparingDouble(v -> key[v]).thenComparingInt(v -> pos[v]);

  Ordering(int[] layer) {
    for (int l : layer) {
      addVertex(l);
    }
  }

  private int addVertex(int layer) {
    int v = layerOf.size();
    layerOf.add(layer);
    up.add(new ArrayList<>());
    down.add(new ArrayList<>());
    while (layers.size() <= layer) {
      layers.add(new ArrayList<>());
    }
    layers.get(layer).add(v);
    return v;
  }

  int addVirtual(int layer) {
    return addVertex(layer);
  }

  /** An edge from {@code upper} to {@code lower}, one layer below, unless there is one already. */
  void linkOnce(int upper, int lower) {
    if (!down.get(upper).contains(lower)) {
      down.get(upper).add(lower);
      up.get(lower).add(upper);
    }
  }

  int size() {
    return layerOf.size();
  }

  int layerCount() {
    return layers.size();
  }

  List<Integer> layer(int l) {
    return layers.get(l);
  }

  int position(int v) {
    return pos[v];
  }

  /** Orders every layer; returns the crossings left. */
  int order() {
    pos = new int[size()];
    reindex();
    int best = crossings();
    List<List<Integer>> bestLayers = copy();
    int stale = 0;
    for (int sweep = 0; sweep < MAX_SWEEPS && best > 0 && stale < PATIENCE; sweep++) {
      boolean downward = sweep % 2 == 0;
      if (downward) {
        for (int l = 1; l < layers.size(); l++) {
          sortByBarycenter(l, up);
        }
      } else {
        for (int l = layers.size() - 2; l >= 0; l--) {
          sortByBarycenter(l, down);
        }
      }
      int c = crossings();
      if (c < best) {
        best = c;
        bestLayers = copy();
        stale = 0;
      } else {
        stale++;
      }
    }
    restore(bestLayers);
    if (best > 0 && size() <= TRANSPOSE_LIMIT) {
      best = transpose(best);
    }
    return best;
  }

  private void sortByBarycenter(int l, List<List<Integer>> neighbours) {
    List<Integer> row = layers.get(l);
    if (key.length < size()) {
      key = new double[size()];
    }
    for (int v : row) {
      List<Integer> ns = neighbours.get(v);
      if (ns.isEmpty()) {
        key[v] = pos[v]; // nothing to follow: stay put
      } else {
        double sum = 0;
        for (int w : ns) {
          sum += pos[w];
        }
        key[v] = sum / ns.size();
      }
    }
    row.sort(byKey);
    reindexLayer(l);
  }

  /** Swaps neighbours within a layer while that lowers the total. */
  private int transpose(int total) {
    boolean improved = true;
    while (improved && total > 0) {
      improved = false;
      for (int l = 0; l < layers.size(); l++) {
        List<Integer> row = layers.get(l);
        for (int i = 0; i + 1 < row.size(); i++) {
          int a = row.get(i);
          int b = row.get(i + 1);
          int before = pairCrossings(a, b);
          int after = pairCrossings(b, a);
          if (after < before) {
            row.set(i, b);
            row.set(i + 1, a);
            pos[a] = i + 1;
            pos[b] = i;
            total -= before - after;
            improved = true;
          }
        }
      }
    }
    return total;
  }

  /** Crossings among the edges of {@code left} and {@code right} when left is left of right. */
  private int pairCrossings(int left, int right) {
    int c = 0;
    for (List<List<Integer>> side : List.of(up, down)) {
      for (int a : side.get(left)) {
        for (int b : side.get(right)) {
          if (pos[b] < pos[a]) {
            c++;
          }
        }
      }
    }
    return c;
  }

  int crossings() {
    int total = 0;
    int[] lower = new int[0];
    for (int l = 0; l + 1 < layers.size(); l++) {
      int count = 0;
      for (int v : layers.get(l)) {
        count += down.get(v).size();
      }
      if (lower.length < count) {
        lower = new int[count];
      }
      // Lower ends in the order of their upper ends (the row is already in position order).
      int k = 0;
      for (int v : layers.get(l)) {
        int from = k;
        for (int w : down.get(v)) {
          lower[k++] = pos[w];
        }
        Arrays.sort(lower, from, k);
      }
      total += inversions(lower, k, layers.get(l + 1).size());
    }
    return total;
  }

  /** Pairs i < j with lower[j] < lower[i]: a Fenwick tree count. */
  private static int inversions(int[] lower, int count, int width) {
    int[] tree = new int[width + 1];
    int inversions = 0;
    for (int j = 0; j < count; j++) {
      int atOrBelow = 0;
      for (int i = lower[j] + 1; i > 0; i -= i & -i) {
        atOrBelow += tree[i];
      }
      inversions += j - atOrBelow;
      for (int i = lower[j] + 1; i <= width; i += i & -i) {
        tree[i]++;
      }
    }
    return inversions;
  }

  private void reindex() {
    for (int l = 0; l < layers.size(); l++) {
      reindexLayer(l);
    }
  }

  private void reindexLayer(int l) {
    List<Integer> row = layers.get(l);
    for (int i = 0; i < row.size(); i++) {
      pos[row.get(i)] = i;
    }
  }

  private List<List<Integer>> copy() {
    List<List<Integer>> c = new ArrayList<>();
    layers.forEach(row -> c.add(new ArrayList<>(row)));
    return c;
  }

  private void restore(List<List<Integer>> saved) {
    for (int l = 0; l < layers.size(); l++) {
      layers.set(l, new ArrayList<>(saved.get(l)));
    }
    reindex();
  }
}
