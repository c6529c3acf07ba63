package com.crd.workflow;

import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The process's one log: every line it prints, the operator's own and its libraries' (through
 * {@link LogBackend} for slf4j and {@link #captureJavaLogging()} for java.util.logging), goes
 * through {@link #write}, as text ({@code time LEVEL message key=value ...}) or as one JSON object
 * per line. A line is always one line: newlines in messages and exceptions are escaped, and an
 * exception is one {@code error} field. Quiet by default on no-op ticks.
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

  public static boolean enabled(Level level) {
    return level.ordinal() >= threshold.ordinal();
  }

  /**
   * Libraries (client-java, okhttp, the JDK) speak at warn and above unless the operator runs at
   * debug: their info lines are about their internals, not about workflows.
   */
  public static boolean libraryEnabled(Level level) {
    return threshold == Level.DEBUG || (enabled(level) && level.ordinal() >= Level.WARN.ordinal());
  }

  public static void debug(String msg, Object... kv) {
    write(Level.DEBUG, null, msg, null, kv);
  }

  public static void info(String msg, Object... kv) {
    write(Level.INFO, null, msg, null, kv);
  }

  public static void warn(String msg, Object... kv) {
    write(Level.WARN, null, msg, null, kv);
  }

  public static void error(String msg, Object... kv) {
    write(Level.ERROR, null, msg, null, kv);
  }

  /**
   * One line. {@code logger} names a library's logger (null for the operator's own lines);
   * {@code error} becomes one {@code error} field: its class, message and causes on one line.
   */
  public static void write(Level level, String logger, String msg, Throwable error, Object... kv) {
    if (!enabled(level)) {
      return;
    }
    String time = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    String line;
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("time", time);
      o.addProperty("level", level.name().toLowerCase());
      o.addProperty("msg", oneLine(msg));
      if (logger != null) {
        o.addProperty("logger", logger);
      }
      for (int i = 0; i + 1 < kv.length; i += 2) {
        o.addProperty(String.valueOf(kv[i]), oneLine(String.valueOf(kv[i + 1])));
      }
      if (error != null) {
        o.addProperty("error", describe(error));
      }
      line = o.toString();
    } else {
      StringBuilder b = new StringBuilder(time).append(' ').append(level).append(' ')
          .append(oneLine(msg));
      if (logger != null) {
        pair(b, "logger", logger);
      }
      for (int i = 0; i + 1 < kv.length; i += 2) {
        pair(b, String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
      }
      if (error != null) {
        pair(b, "error", describe(error));
      }
      line = b.toString();
    }
    PrintStream err = System.err;
    synchronized (err) { // lines from several threads never interleave
      err.println(line);
    }
  }

  private static void pair(StringBuilder b, String key, String value) {
    String v = oneLine(value);
    b.append(' ').append(key).append('=')
        .append(v.contains(" ") || v.contains("\"") || v.isEmpty()
            ? '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : v);
  }

  /** {@code java.net.ConnectException: Connection refused; caused by: ...}, one line. */
  public static String describe(Throwable t) {
    StringBuilder b = new StringBuilder();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 5; c = c.getCause(), depth++) {
      if (depth > 0) {
        if (c.getMessage() != null && b.indexOf(c.getMessage()) >= 0) {
          continue; // wrappers often repeat their cause's message
        }
        b.append("; caused by: ");
      }
      b.append(c.getClass().getName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
    }
    return oneLine(b.toString());
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "null";
    }
    return s.strip().replace("\r", "").replace("\n", " / ");
  }

  /**
   * Routes java.util.logging (okhttp's leak warnings, the JDK's HTTP server) into this log and
   * uncaught exceptions too, so nothing the process prints escapes the format.
   */
  public static void captureJavaLogging() {
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    // Below this no record is even built: the JDK's HTTP server logs every exchange at FINER.
    root.setLevel(threshold == Level.DEBUG ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING);
    root.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        int v = r.getLevel().intValue();
        Level level = v >= 1000 ? Level.ERROR : v >= 900 ? Level.WARN : v >= 800 ? Level.INFO : Level.DEBUG;
        if (!libraryEnabled(level)) {
          return;
        }
        String msg = r.getMessage();
        if (msg != null && r.getParameters() != null && r.getParameters().length > 0) {
          try {
            msg = java.text.MessageFormat.format(msg, r.getParameters());
          } catch (IllegalArgumentException ignored) {
            // not a MessageFormat pattern: the raw message is still worth a line
          }
        }
        write(level, r.getLoggerName(), msg, r.getThrown());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    Thread.setDefaultUncaughtExceptionHandler((t, e) ->
        write(Level.ERROR, null, "uncaught exception", e, "thread", t.getName()));
  }
}
