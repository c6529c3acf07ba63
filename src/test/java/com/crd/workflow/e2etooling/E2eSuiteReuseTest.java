package com.crd.workflow.e2etooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.crd.workflow.e2e.KubeContextCluster;
import com.crd.workflow.scenarios.RealCluster;
import com.crd.workflow.scenarios.ScenarioSuite;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.commons.annotation.Testable;

/** The Kind suite is the shared ScenarioSuite on another cluster, never a copy of its scenarios. */
class E2eSuiteReuseTest {
  static final String KIND_SUITE = "com.crd.workflow.scenarios.KindE2ETest";

  private static Class<?> kindSuite() throws ClassNotFoundException {
    return Class.forName(KIND_SUITE);
  }

  /** @Test, @ParameterizedTest, @TestFactory...: every Jupiter test annotation is @Testable. */
  private static boolean isTest(Method m) {
    for (Annotation a : m.getDeclaredAnnotations()) {
      if (a instanceof Testable || a.annotationType().isAnnotationPresent(Testable.class)) {
        return true;
      }
    }
    return false;
  }

  /** The ScenarioSuite method {@code m} really overrides (Java's rules, not just the name). */
  private static Method overridden(Method m) {
    try {
      Method up = ScenarioSuite.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      int mod = up.getModifiers();
      boolean visible = Modifier.isPublic(mod) || Modifier.isProtected(mod)
          || (!Modifier.isPrivate(mod) && Objects.equals(
              up.getDeclaringClass().getPackageName(), m.getDeclaringClass().getPackageName()));
      return visible && !Modifier.isStatic(mod) && !Modifier.isStatic(m.getModifiers()) ? up : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  @Test
  @DisplayName("KindE2ETest compiles with the tests and is a ScenarioSuite")
  void extendsTheSharedSuite() throws Exception {
    assertTrue(ScenarioSuite.class.isAssignableFrom(kindSuite()), KIND_SUITE + " must extend ScenarioSuite");
    assertTrue(RealCluster.class.isAssignableFrom(KubeContextCluster.class),
        "KubeContextCluster must build on RealCluster");
  }

  @Test
  @DisplayName("KindE2ETest declares no test of its own: only overrides of ScenarioSuite's scenarios")
  void noScenariosOfItsOwn() throws Exception {
    List<Method> tests = Arrays.stream(kindSuite().getDeclaredMethods()).filter(E2eSuiteReuseTest::isTest).toList();
    for (Method m : tests) {
      Method up = overridden(m);
      assertNotNull(up, m.getName() + " is a new test (or does not really override ScenarioSuite's: "
          + "package-private methods are only overridden from the same package)");
      assertTrue(isTest(up), m.getName() + " overrides a ScenarioSuite method that is not a test");
    }
  }

  @Test
  @DisplayName("on Kind the 500-pod load scenario is overridden as @Disabled, with the reason")
  void loadTestDisabled() throws Exception {
    Method m = kindSuite().getDeclaredMethod("fiftyWorkflows");
    assertNotNull(overridden(m), "fiftyWorkflows must override ScenarioSuite's");
    Disabled d = m.getAnnotation(Disabled.class);
    assertNotNull(d, "fiftyWorkflows must be @Disabled on Kind");
    assertEquals("500 pods is a load test, not a laptop e2e", d.value());
  }

  @Test
  @DisplayName("KindE2ETest runs only with -De2e=true (make e2e), and says so when skipped")
  void onlyWithE2eProperty() throws Exception {
    EnabledIfSystemProperty gate = kindSuite().getAnnotation(EnabledIfSystemProperty.class);
    assertNotNull(gate, "KindE2ETest must be @EnabledIfSystemProperty(named = \"e2e\", ...)");
    assertEquals("e2e", gate.named());
    assertEquals("true", gate.matches());
    assertTrue(gate.disabledReason().contains("make e2e"), gate.disabledReason());
  }
}
