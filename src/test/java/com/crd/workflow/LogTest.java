package com.crd.workflow;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogTest {
  private final PrintStream original = System.err;

  @AfterEach
  void restore() {
    System.setErr(original);
    Log.configure(Log.Level.INFO, false);
  }

  private String capture(Runnable r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
    r.run();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("JSON logs are one object per line with the key-value pairs as fields")
  void jsonLines() {
    Log.configure(Log.Level.INFO, true);
    String line = capture(() -> Log.info("created job", "namespace", "ns", "step", "a b"));
    JsonObject o = JsonParser.parseString(line.strip()).getAsJsonObject();
    assertEquals("info", o.get("level").getAsString());
    assertEquals("created job", o.get("msg").getAsString());
    assertEquals("a b", o.get("step").getAsString());
    assertTrue(o.has("time"));
  }

  @Test
  @DisplayName("text logs quote values with spaces, and levels below the threshold are silent")
  void textAndLevels() {
    Log.configure(Log.Level.WARN, false);
    String out = capture(() -> {
      Log.info("hidden");
      Log.warn("shown", "message", "running: a, b");
    });
    assertFalse(out.contains("hidden"));
    assertTrue(out.strip().endsWith("WARN shown message=\"running: a, b\""), out);
  }
}
