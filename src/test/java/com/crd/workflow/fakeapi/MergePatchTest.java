package com.crd.workflow.fakeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MergePatchTest {
  private static JsonElement j(String s) {
    return JsonParser.parseString(s);
  }

  @Test
  @DisplayName("RFC 7386: objects merge, null removes, lists and scalars replace")
  void mergePatch() {
    assertEquals(j("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"),
        MergePatch.apply(j("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"), j("{\"a\":\"z\",\"c\":{\"f\":null}}")));
    assertEquals(j("{\"a\":[3]}"), MergePatch.apply(j("{\"a\":[1,2]}"), j("{\"a\":[3]}")), "lists replace");
    assertEquals(j("{\"a\":{\"b\":\"c\"}}"), MergePatch.apply(j("{\"a\":1}"), j("{\"a\":{\"b\":\"c\"}}")));
    assertEquals(j("{}"), MergePatch.apply(j("{\"a\":1}"), j("{\"a\":null,\"b\":null}")));
  }
}
