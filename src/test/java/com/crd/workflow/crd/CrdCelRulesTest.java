package com.crd.workflow.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.crd.workflow.crd.CelRules.Rule;
import com.crd.workflow.crd.CelRules.Violation;
import com.crd.workflow.crd.WorkflowCrd.Fixture;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CrdCelRulesTest {
  private static final List<Rule> RULES = CelRules.collect(WorkflowCrd.schema());

  static List<Fixture> good() {
    return WorkflowCrd.fixtures("good");
  }

  static List<Fixture> bad() {
    return WorkflowCrd.fixtures("bad");
  }

  @Test
  @DisplayName("the schema walk finds the rules on maxStepTimeout, the step list and each step")
  void rulesAreFound() {
    assertEquals(List.of("spec.maxStepTimeout", "spec.containers", "spec.containers[*]"),
        RULES.stream().map(Rule::path).toList(), RULES.toString());
  }

  @Test
  @DisplayName("every rule compiles to a bool and every messageExpression to a string")
  void rulesCompile() {
    List<String> problems = new ArrayList<>();
    for (Rule rule : RULES) {
      check(rule, rule.expression(), SimpleType.BOOL, problems);
      if (rule.messageExpression() != null) {
        check(rule, rule.messageExpression(), SimpleType.STRING, problems);
      }
      if (rule.message() == null && rule.messageExpression() == null) {
        problems.add(rule + ": no message, users would see the bare expression");
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  private static void check(Rule rule, String expression, CelType type, List<String> problems) {
    try {
      CelAbstractSyntaxTree ast = CelRules.compile(expression);
      if (!ast.getResultType().equals(type)) {
        problems.add(rule + ": '" + expression + "' has type " + ast.getResultType() + ", needs " + type);
      }
    } catch (CelValidationException e) {
      problems.add(rule + ": '" + expression + "' does not compile: " + e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  @DisplayName("every rule holds on every good manifest")
  void rulesHoldOnGoodFixtures(Fixture f) {
    for (Rule rule : RULES) {
      assertFalse(CelRules.valuesAt(stored(f), rule.path()).isEmpty(), rule + " was not run on " + f);
    }
    assertEquals(List.of(), CelRules.failures(stored(f), RULES));
  }

  /** Bad manifests that no schema keyword rejects: a CEL rule has to. */
  static List<Fixture> badForRules() {
    return bad().stream()
        .filter(f -> StructuralSchema.validate(stored(f), WorkflowCrd.schema()).stream().noneMatch(e -> e.contains(f.expect())))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badForRules")
  @DisplayName("a bad manifest meant for a rule fails that rule alone, with the expected message")
  void ruleCatchesItsBadFixture(Fixture f) {
    List<Violation> failures = CelRules.failures(stored(f), RULES);
    assertEquals(1, failures.size(), failures.toString());
    assertTrue(failures.get(0).toString().contains(f.expect()), failures.get(0) + " lacks " + f.expect());
  }

  @Test
  @DisplayName("every rule is exercised by at least one bad manifest")
  void everyRuleHasABadFixture() {
    Set<Rule> caught = new HashSet<>();
    for (Fixture f : bad()) {
      CelRules.failures(stored(f), RULES).forEach(v -> caught.add(v.rule()));
    }
    assertEquals(Set.copyOf(RULES), caught);
  }

  static List<Arguments> selfValues() {
    return List.of(
        Arguments.of("spec.maxStepTimeout", 1, true),
        Arguments.of("spec.maxStepTimeout", -1, true),
        Arguments.of("spec.maxStepTimeout", Long.MAX_VALUE, true),
        Arguments.of("spec.maxStepTimeout", 0, false),
        Arguments.of("spec.maxStepTimeout", -2, false),
        Arguments.of("spec.containers[*]", Map.of("stepName", "a", "dependsOn", List.of()), true),
        Arguments.of("spec.containers[*]", Map.of("stepName", "a"), true),
        Arguments.of("spec.containers[*]", Map.of("stepName", "a", "dependsOn", List.of("b", "a")), false),
        Arguments.of("spec.containers", List.of(Map.of("stepName", "a"), Map.of("stepName", "b", "dependsOn", List.of("a"))), true),
        Arguments.of("spec.containers", List.of(Map.of("stepName", "a", "dependsOn", List.of("A"))), false),
        Arguments.of("spec.containers", List.of(Map.of("stepName", "a", "dependsOn", List.of(""))), false));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @MethodSource("selfValues")
  @DisplayName("rules on their edge values")
  void edgeValues(String path, Object self, boolean holds) throws Exception {
    Rule rule = RULES.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    assertEquals(holds, CelRules.evaluate(rule.expression(), self));
  }

  @Test
  @DisplayName("the self-dependency message names the step")
  void messageExpressionNamesTheStep() throws Exception {
    Rule rule = RULES.stream().filter(r -> r.messageExpression() != null).findFirst().orElseThrow();
    assertEquals("step build depends on itself", CelRules.evaluate(rule.messageExpression(), Map.of("stepName", "build")));
  }

  @Test
  @DisplayName("every list and string a rule reads declares maxItems or maxLength")
  void everythingARuleReadsIsBounded() throws Exception {
    List<String> unbounded = new ArrayList<>();
    for (Rule rule : RULES) {
      CelCostEstimator estimator = estimator(rule);
      for (String expression : expressions(rule)) {
        estimator.cost(CelRules.compile(expression).getExpr());
      }
      estimator.read().forEach((path, schema) -> {
        Object type = schema.get("type");
        if ("array".equals(type) && !schema.containsKey("maxItems")
            || "string".equals(type) && !schema.containsKey("maxLength")) {
          unbounded.add(path + " (read by " + rule + ")");
        }
      });
    }
    assertEquals(List.of(), unbounded);
  }

  @Test
  @DisplayName("each rule's estimated cost is within the API server's per-rule limit, and all of them within the per-CRD limit")
  void estimatedCostFitsTheBudget() throws Exception {
    long total = 0;
    List<String> report = new ArrayList<>();
    for (Rule rule : RULES) {
      for (String expression : expressions(rule)) {
        long cost = estimator(rule).cost(CelRules.compile(expression).getExpr());
        long runs = cardinality(rule.path());
        report.add(String.format("%,12d x %,4d  %s: %s", cost, runs, rule.path(), expression));
        assertTrue(cost <= CelCostEstimator.PER_RULE_LIMIT, "over the per-rule limit: " + report);
        total += cost * runs;
      }
    }
    System.out.println("Estimated CEL cost (cost x runs per object):\n" + String.join("\n", report));
    assertTrue(total <= CelCostEstimator.PER_CRD_LIMIT, "over the per-CRD limit: " + total);
  }

  @Test
  @DisplayName("the largest workflow, each step waiting for the most steps allowed, listed after it, evaluates within the per-call runtime limit")
  void largestWorkflowRuntimeCost() throws Exception {
    Object containers = WorkflowCrd.steps(
        WorkflowCrd.maxItems("spec.containers"), WorkflowCrd.maxItems("spec.containers[*].dependsOn"));
    Rule crossReference = RULES.stream().filter(r -> r.path().equals("spec.containers")).findFirst().orElseThrow();
    long cost = CelRules.runtimeCost(crossReference.expression(), containers);
    System.out.printf("Runtime cost of %s on the largest workflow: about %,d%n", crossReference.path(), cost);
    assertTrue(cost <= CelCostEstimator.PER_CALL_LIMIT, "about " + cost);
  }

  /**
   * Expected values are those of Kubernetes' own cost tests (apiextensions-apiserver
   * pkg/apiserver/schema/cel compilation_test.go, TestCostEstimation, "with max element limits
   * set"), so the estimator above is checked against the real one, including its 4 bytes per
   * character for strings.
   */
  static List<Arguments> kubernetesCostCases() {
    Map<String, Object> numbers10 = Map.of("type", "array", "maxItems", 10, "items", Map.of("type", "number"));
    Map<String, Object> maps12 = Map.of("type", "array", "maxItems", 12,
        "items", Map.of("type", "object", "properties", Map.of("y", Map.of("type", "number"))));
    return List.of(
        Arguments.of("self.all(x, true)", numbers10, 32L),
        Arguments.of("self.all(x, self.all(y, true))", numbers10, 352L),
        Arguments.of("self.all(x, self.all(y, self.all(z, true)))", numbers10, 3552L),
        Arguments.of("self.all(x, x.y == 25.2)", maps12, 74L),
        Arguments.of("self.contains('test')", Map.of("type", "string", "maxLength", 10), 5L),
        Arguments.of("self == \"x\"", Map.of("type", "string", "maxLength", 0), 1L));
  }

  @ParameterizedTest(name = "{0} costs {2}")
  @MethodSource("kubernetesCostCases")
  @DisplayName("the cost estimator agrees with Kubernetes' own cost tests")
  void estimatorMatchesKubernetes(String expression, Map<String, Object> schema, long expected) throws Exception {
    assertEquals(expected, new CelCostEstimator("self", schema).cost(CelRules.compile(expression).getExpr()));
  }

  private static CelCostEstimator estimator(Rule rule) {
    return new CelCostEstimator(rule.path(), WorkflowCrd.schemaAt(rule.path()));
  }

  private static List<String> expressions(Rule rule) {
    return rule.messageExpression() == null
        ? List.of(rule.expression())
        : List.of(rule.expression(), rule.messageExpression());
  }

  /** How often a rule runs per object at most: the product of maxItems of the lists above it. */
  private static long cardinality(String path) {
    long runs = 1;
    int star = path.indexOf("[*]");
    while (star >= 0) {
      runs *= WorkflowCrd.maxItems(path.substring(0, star));
      star = path.indexOf("[*]", star + 1);
    }
    return runs;
  }

  /** The manifest as the API server would hand it to the rules: nulls pruned, defaults applied. */
  private static Object stored(Fixture f) {
    return StructuralSchema.normalize(f.manifest(), WorkflowCrd.schema());
  }
}
