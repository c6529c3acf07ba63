package com.crd.workflow.fakeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class FakeApiLabelSelectorTest {
  private static JsonObject labels(String json) {
    return Json.parse(json).getAsJsonObject();
  }

  @Test
  void equalityAndInequality() {
    JsonObject l = labels("{\"app\":\"wf\",\"tier\":\"1\"}");
    assertTrue(LabelSelector.parse("app=wf").matches(l));
    assertTrue(LabelSelector.parse("app==wf").matches(l));
    assertFalse(LabelSelector.parse("app=other").matches(l));
    assertTrue(LabelSelector.parse("app!=other").matches(l));
    assertTrue(LabelSelector.parse("missing!=x").matches(l), "!= matches when the label is absent");
    assertTrue(LabelSelector.parse(" app = wf , tier = 1 ").matches(l));
    assertFalse(LabelSelector.parse("app=wf,tier=2").matches(l));
  }

  @Test
  void setBasedAndExistence() {
    JsonObject l = labels("{\"env\":\"prod\",\"example.com/owner\":\"me\"}");
    assertTrue(LabelSelector.parse("env in (dev, prod)").matches(l));
    assertFalse(LabelSelector.parse("env notin (prod)").matches(l));
    assertTrue(LabelSelector.parse("other notin (prod)").matches(l));
    assertTrue(LabelSelector.parse("example.com/owner").matches(l));
    assertTrue(LabelSelector.parse("!missing").matches(l));
    assertFalse(LabelSelector.parse("!env").matches(l));
    assertTrue(LabelSelector.parse("env in (prod),example.com/owner=me,!x").matches(l));
    assertTrue(LabelSelector.parse("").matches(null));
    assertFalse(LabelSelector.parse("env").matches(null));
  }

  @Test
  void numericComparisons() {
    JsonObject l = labels("{\"n\":\"5\"}");
    assertTrue(LabelSelector.parse("n>4").matches(l));
    assertFalse(LabelSelector.parse("n<5").matches(l));
  }

  @Test
  void malformedSelectorsAreRejected() {
    for (String bad : new String[] {"env in (a", "=x", "a=b=c", "bad key=1", "a,,b"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("unable to parse requirement"), e.getMessage());
    }
    assertEquals("a=b", LabelSelector.parse("a=b").toString());
  }
}
