package com.crd.workflow.crd;

import static com.crd.workflow.crd.WorkflowCrd.map;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every x-kubernetes-validations rule in a schema, compiled and evaluated with cel-java. */
final class CelRules {
  /** A rule and where it sits: a dotted schema path, {@code [*]} standing for list items. */
  record Rule(String path, String expression, String message, String messageExpression) {
    @Override
    public String toString() {
      return (path.isEmpty() ? "<root>" : path) + ": " + expression;
    }
  }

  /** A rule that returned false for the value at {@code at}, with the message the API server would show. */
  record Violation(Rule rule, String at, String message) {
    @Override
    public String toString() {
      return at + ": " + message;
    }
  }

  // self is dyn, as in a rule on an untyped object; the API server types it from the schema, so
  // this compiles everything Kubernetes would and possibly more (a typo'd field name still
  // compiles here: the fixtures catch those).
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  static List<Rule> collect(Map<String, Object> schema) {
    List<Rule> rules = new ArrayList<>();
    collect(schema, "", rules);
    return rules;
  }

  private static void collect(Map<String, Object> schema, String path, List<Rule> rules) {
    for (Object o : (List<?>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
      Map<String, Object> v = map(o);
      rules.add(new Rule(path, (String) v.get("rule"), (String) v.get("message"), (String) v.get("messageExpression")));
    }
    Object props = schema.get("properties");
    if (props != null) {
      map(props).forEach((name, prop) -> collect(map(prop), path.isEmpty() ? name : path + "." + name, rules));
    }
    if (schema.get("items") != null) {
      collect(map(schema.get("items")), path + "[*]", rules);
    }
  }

  static CelAbstractSyntaxTree compile(String expression) throws CelValidationException {
    return COMPILER.compile(expression).getAst();
  }

  static Object evaluate(String expression, Object self) throws CelEvaluationException {
    return program(expression).eval(Map.of("self", toCel(self)));
  }

  private static CelRuntime.Program program(String expression) {
    return PROGRAMS.computeIfAbsent(expression, e -> {
      try {
        return RUNTIME.createProgram(compile(e));
      } catch (CelValidationException | CelEvaluationException ex) {
        throw new IllegalStateException("rule does not compile: " + e, ex);
      }
    });
  }

  /**
   * About what cel-go's runtime cost tracker charges for one evaluation: 1 for each variable,
   * field and call evaluated; constants, comprehensions, && and || are free. It counts x.f as 2
   * where cel-go counts 1, and charges string comparisons 1, which cel-go does only for strings
   * under 11 characters: an upper bound for short names.
   */
  static long runtimeCost(String expression, Object self) throws CelEvaluationException {
    long[] cost = {0};
    CelEvaluationListener meter = (e, result) -> {
      boolean free = e.getKind() == Kind.CONSTANT || e.getKind() == Kind.COMPREHENSION
          || e.getKind() == Kind.CALL && Set.of("_&&_", "_||_").contains(e.call().function());
      cost[0] += free ? 0 : 1;
    };
    program(expression).trace(Map.of("self", toCel(self)), meter);
    return cost[0];
  }

  /** The values a rule at {@code path} is run on, keyed by where they are. Absent values are not. */
  static Map<String, Object> valuesAt(Object object, String path) {
    Map<String, Object> found = new LinkedHashMap<>();
    List<String> parts = path.isEmpty() ? List.of() : List.of(path.replace("[*]", ".[*]").split("\\."));
    valuesAt(object, parts, 0, "", found);
    return found;
  }

  private static void valuesAt(Object node, List<String> parts, int i, String at, Map<String, Object> found) {
    if (node == null) {
      return;
    }
    if (i == parts.size()) {
      found.put(at, node);
    } else if (parts.get(i).equals("[*]") && node instanceof List<?> list) {
      for (int j = 0; j < list.size(); j++) {
        valuesAt(list.get(j), parts, i + 1, at + "[" + j + "]", found);
      }
    } else if (node instanceof Map<?, ?> object) {
      valuesAt(object.get(parts.get(i)), parts, i + 1, at.isEmpty() ? parts.get(i) : at + "." + parts.get(i), found);
    }
  }

  static List<Violation> failures(Object object, List<Rule> rules) {
    List<Violation> out = new ArrayList<>();
    for (Rule rule : rules) {
      valuesAt(object, rule.path()).forEach((at, self) -> {
        try {
          if (!Boolean.TRUE.equals(evaluate(rule.expression(), self))) {
            out.add(new Violation(rule, at, message(rule, self)));
          }
        } catch (CelEvaluationException e) {
          out.add(new Violation(rule, at, "rule evaluation error: " + e.getMessage()));
        }
      });
    }
    return out;
  }

  static List<String> violations(Object object, List<Rule> rules) {
    return failures(object, rules).stream().map(Violation::toString).toList();
  }

  // Like the API server: messageExpression if it evaluates, else message, else the rule itself.
  private static String message(Rule rule, Object self) {
    if (rule.messageExpression() != null) {
      try {
        return (String) evaluate(rule.messageExpression(), self);
      } catch (CelEvaluationException | RuntimeException e) {
        // fall through
      }
    }
    return rule.message() != null ? rule.message() : "failed rule: " + rule.expression();
  }

  /**
   * YAML values as CEL sees them: integers as Long. Null entries are dropped because cel-java's
   * maps cannot hold them; only nullable fields can still be null here and no rule reads those.
   */
  static Object toCel(Object value) {
    if (value instanceof Map<?, ?> in) {
      Map<Object, Object> out = new LinkedHashMap<>();
      in.forEach((k, v) -> {
        if (v != null) {
          out.put(k, toCel(v));
        }
      });
      return out;
    }
    if (value instanceof List<?> in) {
      return in.stream().map(CelRules::toCel).toList();
    }
    if (value instanceof Integer || value instanceof BigInteger) {
      return ((Number) value).longValue();
    }
    return value;
  }
}
