package com.crd.workflow;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The operator's log: one line per event, as text ({@code time LEVEL message key=value ...}) or
 * as JSON. Quiet by default on no-op ticks: only actions, errors and lifecycle are at info.
 */
public final class Log {
  public enum Level { DEBUG, INFO, WARN, ERROR }

  private static volatile Level threshold = Level.INFO;
  private static volatile boolean json;

  private Log() {}

  public static void configure(Level level, boolean asJson) {
    threshold = level;
    json = asJson;
  }

  public static void debug(String msg, Object... kv) {
    write(Level.DEBUG, msg, kv);
  }

  public static void info(String msg, Object... kv) {
    write(Level.INFO, msg, kv);
  }

  public static void warn(String msg, Object... kv) {
    write(Level.WARN, msg, kv);
  }

  public static void error(String msg, Object... kv) {
    write(Level.ERROR, msg, kv);
  }

  private static void write(Level level, String msg, Object... kv) {
    if (level.ordinal() < threshold.ordinal()) {
      return;
    }
    String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    String line;
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("time", time);
      o.addProperty("level", level.name().toLowerCase());
      o.addProperty("msg", msg);
      for (int i = 0; i + 1 < kv.length; i += 2) {
        o.addProperty(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
      }
      line = o.toString();
    } else {
      StringBuilder b = new StringBuilder(time).append(' ').append(level).append(' ').append(msg);
      for (int i = 0; i + 1 < kv.length; i += 2) {
        String v = String.valueOf(kv[i + 1]);
        b.append(' ').append(kv[i]).append('=')
            .append(v.contains(" ") || v.isEmpty() ? '"' + v.replace("\"", "\\\"") + '"' : v);
      }
      line = b.toString();
    }
    System.err.println(line);
  }
}
