package com.crd.workflow.operator;

import com.crd.workflow.Log;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Operator configuration: flags, each with an environment variable that sets its default. */
public record Settings(
    List<String> namespaces,
    Duration tickPeriod,
    int metricsPort,
    boolean leaderElect,
    String leaseName,
    String leaseNamespace,
    Duration leaseDuration,
    Log.Level logLevel,
    boolean jsonLogs,
    String kubeconfig,
    String identity,
    Duration resyncPeriod,
    double kubeApiQps,
    int kubeApiBurst,
    boolean ui,
    Integer maxRunningSteps,
    Duration defaultTtl) {

  /** Thrown for a bad flag or value; the message is for the user. */
  public static final class BadFlag extends Exception {
    BadFlag(String message) {
      super(message);
    }
  }

  private record Flag(String name, String env, String dflt, String help) {}

  private static final List<Flag> FLAGS = List.of(
      new Flag("namespaces", "WATCH_NAMESPACES", "", "comma-separated namespaces to manage; empty = all"),
      new Flag("tick-period", "TICK_PERIOD", "10s", "time between periodic ticks (e.g. 10s, 500ms)"),
      new Flag("metrics-port", "METRICS_PORT", "8080", "port for /metrics, /healthz, /readyz; 0 = any free port, -1 = off"),
      new Flag("leader-elect", "LEADER_ELECT", "true", "hold a Lease so only one replica acts"),
      new Flag("lease-name", "LEASE_NAME", "workflow-operator", "name of the leader election Lease"),
      new Flag("lease-namespace", "LEASE_NAMESPACE", "", "namespace of the Lease; default: POD_NAMESPACE, else default"),
      new Flag("lease-duration", "LEASE_DURATION", "15s", "how long a lease holds without renewal"),
      new Flag("log-level", "LOG_LEVEL", "info", "debug, info, warn or error"),
      new Flag("log-format", "LOG_FORMAT", "text", "text or json"),
      new Flag("kubeconfig", "KUBECONFIG", "", "kubeconfig file; default: ~/.kube/config, else in-cluster"),
      new Flag("resync-period", "RESYNC_PERIOD", "10m", "re-list everything this often, as a safety net under the watches"),
      new Flag("kube-api-qps", "KUBE_API_QPS", "20", "API requests per second (lists and writes; watches excluded); 0 = no limit"),
      new Flag("kube-api-burst", "KUBE_API_BURST", "30", "API requests allowed in a burst above --kube-api-qps"),
      new Flag("ui", "UI_ENABLED", "true", "serve the read-only web view on the metrics port under /ui/"),
      new Flag("max-running-steps", "MAX_RUNNING_STEPS", "", "cap on running step Jobs across all workflows; empty = unlimited"),
      new Flag("default-ttl", "DEFAULT_TTL", "", "delete a finished workflow this long after it finished unless it sets ttlSecondsAfterFinished (e.g. 24h); empty = keep"));

  public static String usage() {
    StringBuilder b = new StringBuilder("""
        Usage: workflow-operator [run] [flags]
               workflow-operator lint FILE...   validate Workflow manifests offline
               workflow-operator plan FILE [--format=text|svg|dot|mermaid]
                                                print or draw the DAG of a Workflow
               workflow-operator get [-n NS] NAME [--watch]   a workflow as a tree, live
               workflow-operator list [-A | -n NS]             workflows, like kubectl get wf
               workflow-operator rerun [-n NS] NAME            re-run a Failed workflow from its failure
               workflow-operator help | version

        Flags (each may also be set through its environment variable):
        """);
    for (Flag f : FLAGS) {
      b.append(String.format("  --%-16s %-18s %s (default: %s)%n", f.name(), "$" + f.env(), f.help(),
          f.dflt().isEmpty() ? "none" : f.dflt()));
    }
    return b.toString();
  }

  public static Settings parse(String[] args, Function<String, String> env) throws BadFlag {
    Map<String, String> values = new LinkedHashMap<>();
    for (Flag f : FLAGS) {
      String e = env.apply(f.env());
      if (e == null && f.name().equals("namespaces")) {
        e = env.apply("WATCH_NAMESPACE"); // the operator-sdk convention, singular
      }
      values.put(f.name(), e != null ? e : f.dflt());
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    while (!rest.isEmpty()) {
      String a = rest.remove(0);
      if (!a.startsWith("--")) {
        throw new BadFlag("unexpected argument: " + a);
      }
      String name = a.substring(2).replaceFirst("^namespace(?==|$)", "namespaces");
      String value;
      int eq = name.indexOf('=');
      if (!values.containsKey(eq >= 0 ? name.substring(0, eq) : name)) {
        throw new BadFlag("unknown flag --" + (eq >= 0 ? name.substring(0, eq) : name));
      }
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if ((name.equals("leader-elect") || name.equals("ui"))
          && (rest.isEmpty() || rest.get(0).startsWith("--"))) {
        value = "true";
      } else if (rest.isEmpty()) {
        throw new BadFlag("flag --" + name + " needs a value");
      } else {
        value = rest.remove(0);
      }
      values.put(name, value);
    }
    String leaseNs = values.get("lease-namespace");
    if (leaseNs.isEmpty()) {
      leaseNs = env.apply("POD_NAMESPACE") != null ? env.apply("POD_NAMESPACE") : "default";
    }
    List<String> namespaces = Arrays.stream(values.get("namespaces").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    String kubeconfig = values.get("kubeconfig");
    return new Settings(namespaces, duration("tick-period", values.get("tick-period")),
        port("metrics-port", values.get("metrics-port")),
        bool("leader-elect", values.get("leader-elect")), values.get("lease-name"), leaseNs,
        leaseDuration(values.get("lease-duration")),
        level(values.get("log-level")), format(values.get("log-format")),
        kubeconfig.isEmpty() ? null : firstKubeconfig(kubeconfig), identity(env),
        duration("resync-period", values.get("resync-period")),
        nonNegative("kube-api-qps", values.get("kube-api-qps")),
        (int) Math.max(1, nonNegative("kube-api-burst", values.get("kube-api-burst"))),
        bool("ui", values.get("ui")),
        maxRunningSteps(values.get("max-running-steps")),
        values.get("default-ttl").isBlank() ? null : duration("default-ttl", values.get("default-ttl")));
  }

  private static Integer maxRunningSteps(String v) throws BadFlag {
    if (v.isBlank()) {
      return null;
    }
    int n = integer("max-running-steps", v);
    if (n < 1) {
      throw new BadFlag("--max-running-steps must be at least 1, got " + v);
    }
    return n;
  }

  /** KUBECONFIG may list several files, like kubectl's: the first one that exists is used. */
  static String firstKubeconfig(String value) {
    String[] paths = value.split(java.io.File.pathSeparator);
    for (String p : paths) {
      if (!p.isEmpty() && new java.io.File(p).isFile()) {
        return p;
      }
    }
    return paths.length > 0 && !paths[0].isEmpty() ? paths[0] : value;
  }

  private static Duration leaseDuration(String v) throws BadFlag {
    Duration d = duration("lease-duration", v);
    if (d.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new BadFlag("--lease-duration must be at least 2s, got " + v);
    }
    return d;
  }

  private static final java.util.regex.Pattern DURATION =
      java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  /** --default-ttl in whole seconds (rounded up, so never earlier than asked); null = keep. */
  public Long defaultTtlSeconds() {
    return defaultTtl == null ? null : (defaultTtl.toMillis() + 999) / 1000;
  }

  /** A duration with a unit ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}), at least 100 ms. */
  static Duration duration(String flag, String v) throws BadFlag {
    java.util.regex.Matcher m = DURATION.matcher(v.trim());
    if (!m.matches()) {
      throw new BadFlag("--" + flag + ": not a duration: " + v
          + (v.trim().matches("\\d+(\\.\\d+)?") ? " has no unit" : "")
          + " (use e.g. 10s, 500ms, 2m or 1h)");
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
    if (millis < 100) {
      throw new BadFlag("--" + flag + ": at least 100ms, got " + v);
    }
    if (millis > Duration.ofDays(365).toMillis()) {
      throw new BadFlag("--" + flag + ": at most a year, got " + v);
    }
    return Duration.ofMillis(Math.round(millis));
  }

  private static double nonNegative(String flag, String v) throws BadFlag {
    try {
      double d = Double.parseDouble(v.trim());
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new BadFlag("--" + flag + ": not a number >= 0: " + v);
    }
  }

  private static int integer(String flag, String v) throws BadFlag {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new BadFlag("--" + flag + ": not an integer: " + v);
    }
  }

  /** A TCP port, 0 for any free port, or -1 for none. */
  private static int port(String flag, String v) throws BadFlag {
    int p = integer(flag, v);
    if (p < -1 || p > 65535) {
      throw new BadFlag("--" + flag + ": not a port (0 to 65535, or -1 for off): " + v);
    }
    return p;
  }

  private static boolean bool(String flag, String v) throws BadFlag {
    return switch (v.trim().toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new BadFlag("--" + flag + ": expected true or false, got " + v);
    };
  }

  private static Log.Level level(String v) throws BadFlag {
    try {
      return Log.Level.valueOf(v.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new BadFlag("--log-level: expected debug, info, warn or error, got " + v);
    }
  }

  private static boolean format(String v) throws BadFlag {
    return switch (v.trim().toLowerCase()) {
      case "json" -> true;
      case "text" -> false;
      default -> throw new BadFlag("--log-format: expected text or json, got " + v);
    };
  }

  private static String identity(Function<String, String> env) {
    String pod = env.apply("POD_NAME");
    if (pod != null && !pod.isEmpty()) {
      return pod;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "workflow-operator";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
