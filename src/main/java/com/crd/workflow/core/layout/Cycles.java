package com.crd.workflow.core.layout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** Cycle finding for the layout: iterative, so a 100-step chain cannot overflow the stack. */
final class Cycles {
  private Cycles() {}

  private static List<List<Integer>> outgoing(int n, List<int[]> edges) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int e = 0; e < edges.size(); e++) {
      out.get(edges.get(e)[0]).add(e);
    }
    return out;
  }

  /**
   * Strongly connected component of each vertex (Tarjan). An edge lies on a cycle exactly when
   * both ends share a component, or it is a self loop.
   */
  static int[] components(int n, List<int[]> edges) {
    List<List<Integer>> out = outgoing(n, edges);
    int[] index = new int[n];
    int[] low = new int[n];
    int[] comp = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    Deque<Integer> stack = new ArrayDeque<>();
    int counter = 0;
    int components = 0;
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      Deque<int[]> work = new ArrayDeque<>(); // {vertex, next outgoing edge}
      work.push(new int[] {root, 0});
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      while (!work.isEmpty()) {
        int[] top = work.peek();
        int v = top[0];
        if (top[1] < out.get(v).size()) {
          int w = edges.get(out.get(v).get(top[1]++))[1];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            work.push(new int[] {w, 0});
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          work.pop();
          if (!work.isEmpty()) {
            int parent = work.peek()[0];
            low[parent] = Math.min(low[parent], low[v]);
          }
          if (low[v] == index[v]) {
            int w;
            do {
              w = stack.pop();
              onStack[w] = false;
              comp[w] = components;
            } while (w != v);
            components++;
          }
        }
      }
    }
    return comp;
  }

  /** Edges that close a cycle in a depth-first search from the vertices in index order. */
  static boolean[] backEdges(int n, List<int[]> edges) {
    List<List<Integer>> out = outgoing(n, edges);
    boolean[] back = new boolean[edges.size()];
    int[] color = new int[n]; // 0 new, 1 on path, 2 done
    for (int root = 0; root < n; root++) {
      if (color[root] != 0) {
        continue;
      }
      Deque<int[]> work = new ArrayDeque<>();
      work.push(new int[] {root, 0});
      color[root] = 1;
      while (!work.isEmpty()) {
        int[] top = work.peek();
        int v = top[0];
        if (top[1] < out.get(v).size()) {
          int e = out.get(v).get(top[1]++);
          int w = edges.get(e)[1];
          if (color[w] == 1) {
            back[e] = true;
          } else if (color[w] == 0) {
            color[w] = 1;
            work.push(new int[] {w, 0});
          }
        } else {
          color[v] = 2;
          work.pop();
        }
      }
    }
    return back;
  }
}
