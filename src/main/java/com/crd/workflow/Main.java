package com.crd.workflow;

import com.crd.workflow.cli.ClusterCommands;
import com.crd.workflow.cli.Commands;
import com.crd.workflow.operator.Operator;
import com.crd.workflow.operator.Settings;
import java.util.Arrays;

/**
 * Entry point: {@code run} (the default) starts the operator; {@code lint} and {@code plan} work
 * offline; {@code get} and {@code list} read the workflows of the current kube context.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Colour and box drawing only for a person at a terminal (https://no-color.org too). */
  static boolean colourTerminal() {
    return System.console() != null && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  public static int run(String[] args) {
    // client-java and okhttp log through slf4j: keep them to warnings unless asked.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    String cmd = args.length > 0 && !args[0].startsWith("-") ? args[0] : "run";
    String[] rest = args.length > 0 && !args[0].startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(Settings.usage());
      return 0;
    }
    if (Arrays.asList(args).contains("--version")) {
      String v = Main.class.getPackage().getImplementationVersion();
      System.out.println("workflow-operator " + (v == null ? "dev" : v));
      return 0;
    }
    switch (cmd) {
      case "lint":
        return Commands.lint(Arrays.asList(rest), System.out);
      case "plan":
        return Commands.plan(Arrays.asList(rest), System.out);
      case "get":
        return ClusterCommands.get(Arrays.asList(rest), System.out, System::getenv, colourTerminal(),
            java.time.Clock.systemUTC());
      case "list":
        return ClusterCommands.list(Arrays.asList(rest), System.out, System::getenv,
            java.time.Clock.systemUTC());
      case "run":
        break;
      default:
        System.err.println("unknown command: " + cmd + "\n\n" + Settings.usage());
        return 2;
    }
    Settings settings;
    try {
      settings = Settings.parse(rest, System::getenv);
    } catch (Settings.BadFlag e) {
      System.err.println("workflow-operator: " + e.getMessage() + "\n\n" + Settings.usage());
      return 2;
    }
    Log.configure(settings.logLevel(), settings.jsonLogs());
    try {
      return new Operator(settings).run();
    } catch (Exception e) {
      Log.error("operator failed to start", "error", String.valueOf(e));
      return 1;
    } catch (Throwable t) { // an Error must end the process, not leave a live lease holder behind
      Log.error("operator crashed", "error", String.valueOf(t));
      return 1;
    }
  }
}
