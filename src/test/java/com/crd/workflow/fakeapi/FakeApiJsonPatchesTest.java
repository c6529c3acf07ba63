package com.crd.workflow.fakeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonElement;
import org.junit.jupiter.api.Test;

class FakeApiJsonPatchesTest {
  private static JsonElement j(String json) {
    return Json.parse(json);
  }

  @Test
  void mergePatchFollowsRfc7386() {
    assertEquals(j("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"),
        JsonPatches.mergePatch(j("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"), j("{\"a\":\"z\",\"c\":{\"f\":null}}")));
    assertEquals(j("{\"a\":[3]}"), JsonPatches.mergePatch(j("{\"a\":[1,2]}"), j("{\"a\":[3]}")), "lists replace");
    assertEquals(j("{\"a\":{\"b\":\"c\"}}"), JsonPatches.mergePatch(j("{\"a\":1}"), j("{\"a\":{\"b\":\"c\"}}")));
    assertEquals(j("{}"), JsonPatches.mergePatch(j("{\"a\":1}"), j("{\"a\":null,\"b\":null}")));
  }

  @Test
  void jsonPatchOperations() {
    JsonElement doc = j("{\"a\":{\"b\":[1,2]},\"x\":\"y\"}");
    JsonElement out = JsonPatches.jsonPatch(doc, j("["
        + "{\"op\":\"add\",\"path\":\"/a/b/1\",\"value\":9},"
        + "{\"op\":\"add\",\"path\":\"/a/b/-\",\"value\":3},"
        + "{\"op\":\"replace\",\"path\":\"/x\",\"value\":\"z\"},"
        + "{\"op\":\"copy\",\"from\":\"/x\",\"path\":\"/c\"},"
        + "{\"op\":\"move\",\"from\":\"/c\",\"path\":\"/d~1e\"},"
        + "{\"op\":\"remove\",\"path\":\"/a/b/0\"},"
        + "{\"op\":\"test\",\"path\":\"/a/b\",\"value\":[9,2,3]}]").getAsJsonArray());
    assertEquals(j("{\"a\":{\"b\":[9,2,3]},\"x\":\"z\",\"d/e\":\"z\"}"), out);
    assertEquals(j("{\"a\":{\"b\":[1,2]},\"x\":\"y\"}"), doc, "input untouched");
  }

  @Test
  void jsonPatchFailures() {
    JsonElement doc = j("{\"a\":1}");
    assertThrows(JsonPatches.PatchException.class,
        () -> JsonPatches.jsonPatch(doc, j("[{\"op\":\"test\",\"path\":\"/a\",\"value\":2}]").getAsJsonArray()));
    assertThrows(JsonPatches.PatchException.class,
        () -> JsonPatches.jsonPatch(doc, j("[{\"op\":\"remove\",\"path\":\"/b\"}]").getAsJsonArray()));
    assertThrows(JsonPatches.PatchException.class,
        () -> JsonPatches.jsonPatch(doc, j("[{\"op\":\"replace\",\"path\":\"/b\",\"value\":1}]").getAsJsonArray()));
    assertThrows(JsonPatches.PatchException.class,
        () -> JsonPatches.jsonPatch(doc, j("[{\"op\":\"add\",\"path\":\"/x/y\",\"value\":1}]").getAsJsonArray()));
    assertThrows(JsonPatches.PatchException.class,
        () -> JsonPatches.jsonPatch(doc, j("[{\"op\":\"frobnicate\",\"path\":\"/a\"}]").getAsJsonArray()));
  }
}
