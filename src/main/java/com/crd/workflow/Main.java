package com.crd.workflow;

import com.crd.workflow.cli.ClusterCommands;
import com.crd.workflow.cli.Commands;
import com.crd.workflow.operator.Kubeconfig;
import com.crd.workflow.operator.Operator;
import com.crd.workflow.operator.Settings;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code run} starts the operator; {@code lint} and {@code plan} work offline;
 * {@code get} and {@code list} read the workflows of the current kube context, {@code rerun} asks
 * for a Failed one to run again from its failure; {@code help} and
 * {@code version} say what this is. Exit codes: 0 done, 1 failed, 2 the command line or the
 * cluster configuration is unusable.
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
    List<String> all = Arrays.asList(args);
    if (args.length == 0) {
      System.err.print(Settings.usage());
      return 2;
    }
    String cmd = args[0].startsWith("-") ? "run" : args[0];
    String[] rest = args[0].startsWith("-") ? args : Arrays.copyOfRange(args, 1, args.length);
    if (cmd.equals("help") || all.contains("--help") || all.contains("-h")) {
      System.out.print(Settings.usage());
      return 0;
    }
    if (cmd.equals("version") || all.contains("--version")) {
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
      case "rerun":
        return ClusterCommands.rerun(Arrays.asList(rest), System.out, System::getenv,
            java.time.Clock.systemUTC());
      case "run":
        break;
      default:
        System.err.println("workflow-operator: unknown command: " + cmd + "\n\n" + Settings.usage());
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
    Log.captureJavaLogging();
    try {
      return new Operator(settings).run();
    } catch (Kubeconfig.Unusable e) {
      Log.error(e.getMessage());
      return 2;
    } catch (Exception e) {
      Log.write(Log.Level.ERROR, null, "operator failed to start", e);
      return 1;
    } catch (Throwable t) { // an Error must end the process, not leave a live lease holder behind
      Log.write(Log.Level.ERROR, null, "operator crashed", t);
      return 1;
    }
  }
}
