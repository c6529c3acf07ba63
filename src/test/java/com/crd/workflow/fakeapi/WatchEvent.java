package com.crd.workflow.fakeapi;

import com.google.gson.JsonObject;

/**
 * One change in the store. {@code previous} is the state before a MODIFIED change, which a
 * filtered watch needs to turn "stopped matching" into DELETED and "started matching" into ADDED.
 * The objects are shared and must never be mutated.
 */
record WatchEvent(long resourceVersion, String type, ResourceType resource, JsonObject object, JsonObject previous) {

  String toLine() {
    return toLine(type, object);
  }

  static String toLine(String type, JsonObject object) {
    return "{\"type\":\"" + type + "\",\"object\":" + Json.write(object) + "}\n";
  }
}
