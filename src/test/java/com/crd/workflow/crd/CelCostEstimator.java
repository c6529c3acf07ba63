package com.crd.workflow.crd;

import static com.crd.workflow.crd.WorkflowCrd.map;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelCall;
import dev.cel.common.ast.CelExpr.CelComprehension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worst-case cost the API server estimates for a rule when the CRD is created, for the CEL
 * constructs this CRD's rules use: cel-go's checker/cost.go, with Kubernetes' schema-based sizes.
 * Anything it does not model throws, so it can only be wrong by being conservative.
 */
final class CelCostEstimator {
  /** apiextensions StaticEstimatedCostLimit: a rule estimated above this makes the CRD invalid. */
  static final long PER_RULE_LIMIT = 10_000_000L;
  /** apiextensions StaticEstimatedCRDCostLimit: the sum of cost x cardinality over all rules. */
  static final long PER_CRD_LIMIT = 100_000_000L;

  /** apiserver PerCallLimit: evaluating one rule on one object may cost no more than this. */
  static final long PER_CALL_LIMIT = 1_000_000L;

  private static final double STRING_TRAVERSAL_COST_FACTOR = 0.1;
  private static final long CREATE_LIST_BASE_COST = 10;

  /** A schema node an expression reaches, and its path. */
  record Node(String path, Map<String, Object> schema) {}

  private final Map<String, Node> scope = new HashMap<>();
  private final Map<String, Map<String, Object>> read = new LinkedHashMap<>();

  CelCostEstimator(String selfPath, Map<String, Object> selfSchema) {
    scope.put("self", new Node(selfPath, selfSchema));
  }

  /** Every schema node the estimated expressions read, by path. */
  Map<String, Map<String, Object>> read() {
    return read;
  }

  long cost(CelExpr e) {
    switch (e.getKind()) {
      case CONSTANT:
        return 0;
      case IDENT:
        node(e);
        return 1;
      case SELECT:
        node(e);
        // has() is charged 1 as in plain cel-go; Kubernetes charges 0, so this only overestimates.
        return 1 + cost(e.select().operand());
      case LIST:
        return CREATE_LIST_BASE_COST + e.list().elements().stream().mapToLong(this::cost).sum();
      case CALL:
        return callCost(e);
      case COMPREHENSION:
        return comprehensionCost(e.comprehension());
      default:
        throw new UnsupportedOperationException("no cost model for " + e.getKind());
    }
  }

  private long callCost(CelExpr e) {
    CelCall call = e.call();
    List<CelExpr> operands = new ArrayList<>();
    call.target().ifPresent(operands::add);
    operands.addAll(call.args());
    long operandCost = operands.stream().mapToLong(this::cost).sum();
    switch (call.function()) {
      case "_&&_":
      case "_||_":
        return operandCost;
      case "_==_":
      case "_!=_":
      case "_<_":
      case "_<=_":
      case "_>_":
      case "_>=_":
        // Comparing strings walks the shorter one; scalars have size 1.
        return operandCost + traversal(Math.min(size(operands.get(0)), size(operands.get(1))));
      case "@in":
        return operandCost + size(operands.get(1));
      case "_+_":
        return operandCost + (isString(e) ? traversal(size(e)) : 1);
      case "contains":
        return operandCost + traversal(size(operands.get(0))) * traversal(size(operands.get(1)));
      case "!_":
      case "-_":
      case "@not_strictly_false":
      case "size":
        return operandCost + 1;
      default:
        throw new UnsupportedOperationException("no cost model for " + call.function());
    }
  }

  private long comprehensionCost(CelComprehension c) {
    if (!c.iterVar2().isEmpty()) {
      throw new UnsupportedOperationException("no cost model for two-variable comprehensions");
    }
    Node range = node(c.iterRange());
    if (range == null) {
      throw new UnsupportedOperationException("no cost model for iterating over " + c.iterRange());
    }
    long count = size(c.iterRange());
    long fixed = cost(c.iterRange()) + cost(c.accuInit());
    Node outer = scope.put(c.iterVar(), new Node(range.path() + "[*]", map(range.schema().get("items"))));
    long perIteration = cost(c.loopCondition()) + cost(c.loopStep());
    restore(c.iterVar(), outer);
    return fixed + cost(c.result()) + count * perIteration;
  }

  private void restore(String name, Node outer) {
    if (outer == null) {
      scope.remove(name);
    } else {
      scope.put(name, outer);
    }
  }

  /** Largest size the API server assumes: characters for strings, items for lists, 1 for scalars. */
  private long size(CelExpr e) {
    if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
      CelConstant c = e.constant();
      return c.getKind() == CelConstant.Kind.STRING_VALUE ? c.stringValue().codePointCount(0, c.stringValue().length()) : 1;
    }
    if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_+_")) {
      return e.call().args().stream().mapToLong(this::size).sum();
    }
    Node n = node(e);
    if (n == null) {
      throw new UnsupportedOperationException("no size model for " + e);
    }
    switch (String.valueOf(n.schema().get("type"))) {
      case "string":
        // maxLength counts characters, the API server sizes them as up to 4 bytes each.
        return 4 * bound(n, "maxLength");
      case "array":
        return bound(n, "maxItems");
      default:
        return 1;
    }
  }

  private static long bound(Node n, String keyword) {
    Object bound = n.schema().get(keyword);
    if (bound == null) {
      throw new IllegalStateException(n.path() + " has no " + keyword + ": its cost is unbounded");
    }
    return ((Number) bound).longValue();
  }

  private boolean isString(CelExpr e) {
    switch (e.getKind()) {
      case CONSTANT:
        return e.constant().getKind() == CelConstant.Kind.STRING_VALUE;
      case CALL:
        return e.call().function().equals("_+_") && e.call().args().stream().anyMatch(this::isString);
      default:
        Node n = node(e);
        return n != null && "string".equals(n.schema().get("type"));
    }
  }

  private Node node(CelExpr e) {
    Node n = null;
    if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
      n = scope.get(e.ident().name());
    } else if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
      Node parent = node(e.select().operand());
      Object props = parent == null ? null : parent.schema().get("properties");
      Object prop = props == null ? null : map(props).get(e.select().field());
      n = prop == null ? null : new Node(parent.path() + "." + e.select().field(), map(prop));
    }
    if (n != null) {
      read.put(n.path(), n.schema());
    }
    return n;
  }

  private static long traversal(long size) {
    return (long) Math.ceil(size * STRING_TRAVERSAL_COST_FACTOR);
  }
}
