package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.spec;
import static com.crd.workflow.core.Fixtures.step;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  @DisplayName("reordering containers or dependsOn keeps the spec hash")
  void hashIgnoresOrder() {
    String h = Names.specHash(spec(step("a"), step("b"), step("c", "a", "b")));
    assertEquals(h, Names.specHash(spec(step("c", "b", "a"), step("b"), step("a"))));
    assertEquals(16, h.length());
  }

  @Test
  @DisplayName("anything that affects a Job changes the spec hash")
  void hashFollowsJobInputs() {
    WorkflowSpec base = spec(step("a"), step("b", "a"));
    String h = Names.specHash(base);
    assertNotEquals(h, Names.specHash(new WorkflowSpec(61, base.steps())));
    assertNotEquals(h, Names.specHash(spec(step("a"), step("b"))));
    assertNotEquals(h, Names.specHash(spec(step("a"), step("c", "a"))));
    assertNotEquals(h, Names.specHash(spec(new Step("a", "other", List.of("sh", "-c", "echo a"), List.of()),
        step("b", "a"))));
    assertNotEquals(h, Names.specHash(spec(new Step("a", "busybox:1.36", List.of("-c", "sh", "echo a"),
        List.of()), step("b", "a"))));
    assertNotEquals(h, Names.specHash(spec(new Step("a", "busybox:1.36", null, List.of()), step("b", "a"))));
  }

  @Test
  @DisplayName("job names are deterministic, valid and at most 63 characters for the longest inputs")
  void jobNames() {
    String longWf = "w" + "x.y-".repeat(63);
    String name = Names.jobName(longWf.substring(0, 253), "uid", "s".repeat(63), "abc");
    assertTrue(Names.isDnsLabel(name), name);
    assertEquals(name, Names.jobName(longWf.substring(0, 253), "uid", "s".repeat(63), "abc"));
    assertEquals(63, name.length());
    assertTrue(Names.jobName("demo", "uid", "build", "h").startsWith("demo-build-"));
    assertNotEquals(Names.jobName("demo", "uid-1", "build", "h"), Names.jobName("demo", "uid-2", "build", "h"));
  }

  @Test
  @DisplayName("long workflow names become valid label values with a hash")
  void labelValues() {
    assertEquals("demo", Names.labelValue("demo"));
    String v = Names.labelValue("a".repeat(100));
    assertTrue(Names.isLabelValue(v), v);
    assertNotEquals(v, Names.labelValue("a".repeat(101)));
  }
}
