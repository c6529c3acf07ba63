package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out what a container would do, without running anything: how long it runs and its exit
 * code. It understands {@code sh -c SCRIPT} with {@code ;}, {@code &&}, {@code ||} and newlines,
 * and the commands {@code sleep N}, {@code true}, {@code false}, {@code exit N}, {@code echo},
 * {@code printf}, {@code :} and {@code set}. Anything else exits 127, as a shell would for an
 * unknown command.
 */
final class JobScript {
  /** How long the image's own entrypoint takes when the pod spec gives no command. */
  static final Duration DEFAULT_ENTRYPOINT = Duration.ofMillis(200);

  /** @param duration null means the container never exits ({@code sleep infinity}) */
  record Outcome(Duration duration, int exitCode) {
    boolean runsForever() {
      return duration == null;
    }
  }

  private JobScript() {}

  /** @param container a pod spec container: image, command, args */
  static Outcome of(JsonObject container) {
    List<String> argv = new ArrayList<>(strings(Json.array(container, "command")));
    List<String> args = strings(Json.array(container, "args"));
    if (argv.isEmpty() && args.isEmpty()) {
      return new Outcome(DEFAULT_ENTRYPOINT, 0);
    }
    // With no command, args replace the image's CMD; the usual base images have no ENTRYPOINT.
    argv.addAll(args);
    return ofArgv(argv);
  }

  static Outcome ofArgv(List<String> argv) {
    String program = basename(argv.get(0));
    if (List.of("sh", "bash", "ash", "dash").contains(program)) {
      int i = 1;
      boolean errexit = false;
      boolean command = false;
      while (i < argv.size() && argv.get(i).startsWith("-")) {
        String flag = argv.get(i);
        errexit |= flag.contains("e");
        command |= flag.contains("c");
        i++;
      }
      if (!command) {
        return new Outcome(Duration.ZERO, 0); // a shell with no script reads an empty stdin
      }
      return i < argv.size() ? runScript(argv.get(i), errexit) : new Outcome(Duration.ZERO, 2);
    }
    return runScript(String.join(" ", argv.stream().map(JobScript::quote).toList()), false);
  }

  static Outcome ofScript(String script) {
    return runScript(script, false);
  }

  private static Outcome runScript(String script, boolean errexit) {
    Duration elapsed = Duration.ZERO;
    int status = 0;
    boolean exitOnError = errexit;
    for (Step step : split(script)) {
      if (step.connector.equals("&&") && status != 0 || step.connector.equals("||") && status == 0) {
        continue;
      }
      List<String> words = words(step.command);
      if (words.isEmpty()) {
        continue;
      }
      String name = basename(words.get(0));
      switch (name) {
        case "exit" -> {
          int code = words.size() > 1 ? parseExitCode(words.get(1)) : status;
          return new Outcome(elapsed, code);
        }
        case "sleep" -> {
          Duration d = words.size() > 1 ? sleepDuration(words.get(1)) : Duration.ofSeconds(-1);
          if (d == null) {
            return new Outcome(null, 0);
          }
          if (d.isNegative()) {
            status = 1;
          } else {
            elapsed = elapsed.plus(d);
            status = 0;
          }
        }
        case "true", ":", "echo", "printf" -> status = 0;
        case "false" -> status = 1;
        case "set" -> {
          status = 0;
          exitOnError |= words.stream().skip(1).anyMatch(w -> w.startsWith("-") && w.contains("e"));
        }
        default -> status = 127;
      }
      boolean guarded = step.next.equals("&&") || step.next.equals("||");
      if (exitOnError && status != 0 && !guarded) {
        return new Outcome(elapsed, status);
      }
    }
    return new Outcome(elapsed, status);
  }

  private static int parseExitCode(String word) {
    try {
      return Integer.parseInt(word) & 0xff;
    } catch (NumberFormatException e) {
      return 2;
    }
  }

  /** null for infinity; negative for an invalid argument. */
  private static Duration sleepDuration(String word) {
    if (word.equals("infinity") || word.equals("inf")) {
      return null;
    }
    long unit = 1;
    String number = word;
    char last = word.isEmpty() ? ' ' : word.charAt(word.length() - 1);
    if ("smhd".indexOf(last) >= 0) {
      number = word.substring(0, word.length() - 1);
      unit = switch (last) {
        case 'm' -> 60;
        case 'h' -> 3600;
        case 'd' -> 86400;
        default -> 1;
      };
    }
    try {
      BigDecimal seconds = new BigDecimal(number).multiply(BigDecimal.valueOf(unit));
      if (seconds.signum() < 0) {
        return Duration.ofSeconds(-1);
      }
      return Duration.ofNanos(seconds.movePointRight(9).longValue());
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(-1);
    }
  }

  private record Step(String connector, String command, String next) {}

  /** Splits on ; && || and newlines that are outside quotes. */
  private static List<Step> split(String script) {
    List<String> commands = new ArrayList<>();
    List<String> connectors = new ArrayList<>();
    connectors.add(";");
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        current.append(c);
        continue;
      }
      String op = null;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '&' && i + 1 < script.length() && script.charAt(i + 1) == '&') {
        op = "&&";
      } else if (c == '|' && i + 1 < script.length() && script.charAt(i + 1) == '|') {
        op = "||";
      } else if (c == ';' || c == '\n') {
        op = ";";
      }
      if (op == null) {
        current.append(c);
      } else {
        commands.add(current.toString());
        connectors.add(op);
        current.setLength(0);
        i += op.length() - 1;
      }
    }
    commands.add(current.toString());
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      String next = i + 1 < connectors.size() ? connectors.get(i + 1) : ";";
      steps.add(new Step(connectors.get(i), commands.get(i).trim(), next));
    }
    return steps;
  }

  /** Shell words with quotes removed; leading VAR=value assignments are skipped. */
  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(current.toString());
          current.setLength(0);
          inWord = false;
        }
      } else {
        current.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(current.toString());
    }
    while (!words.isEmpty() && words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
      words.remove(0);
    }
    return words;
  }

  private static String basename(String program) {
    int slash = program.lastIndexOf('/');
    return slash >= 0 ? program.substring(slash + 1) : program;
  }

  private static String quote(String word) {
    return "'" + word.replace("'", "") + "'";
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      for (JsonElement e : array) {
        out.add(e.isJsonNull() ? "" : e.getAsString());
      }
    }
    return out;
  }
}
