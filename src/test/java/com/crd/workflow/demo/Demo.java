package com.crd.workflow.demo;

import com.crd.workflow.Log;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.Phase;
import com.crd.workflow.core.StepState;
import com.crd.workflow.core.Validation;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.render.States;
import com.crd.workflow.core.render.Text;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.operator.Operator;
import com.crd.workflow.operator.Settings;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Runs example Workflows end to end on a laptop with nothing but Java: the real operator,
 * in-process, against the simulated API server of the tests, printing each workflow's progress
 * as it changes and a summary checked against each file's
 * {@code workflow.crd.com/expected-status} annotation.
 *
 * <pre>
 * java [-Ddemo.keep=1] -cp CLASSPATH com.crd.workflow.demo.Demo [FILE...]   (default: examples/*.yaml)
 * </pre>
 *
 * Each workflow's waves are printed before it runs, and the operator's web view is served on a
 * free port (its URL is printed); with {@code demo.keep} set the simulated cluster stays up for
 * {@code $DEMO_KEEP_SECONDS} (600) after the summary so a person can look at it.
 *
 * Exit code 0 when every workflow ended in its expected status (a workflow without the
 * annotation only has to finish), 1 otherwise, including bad input and the overall deadline.
 */
public final class Demo {
  static final String NAMESPACE = "demo";
  static final String EXPECTED_ANNOTATION = Names.GROUP + "/expected-status";
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Duration deadline;
  private final Duration keep;
  private final boolean colour;
  private volatile String uiUrl;

  public Demo() {
    this(DEFAULT_DEADLINE);
  }

  Demo(Duration deadline) {
    this(deadline, Duration.ZERO, false);
  }

  /**
   * @param keep how long the simulated cluster stays up after the summary, so a person can open
   *     the web view or run {@code get}/{@code list} against it; zero: stop at once
   * @param colour colour the states (only for a terminal: logs and pipes get plain text)
   */
  Demo(Duration deadline, Duration keep, boolean colour) {
    this.deadline = deadline;
    this.keep = keep;
    this.colour = colour;
  }

  /** The web view's address once the demo's operator serves it, else null. */
  String uiUrl() {
    return uiUrl;
  }

  public static void main(String[] args) {
    List<Path> files = new ArrayList<>();
    for (String a : args) {
      files.add(Path.of(a));
    }
    if (files.isEmpty()) {
      try {
        files = defaultExamples(Path.of("examples"));
      } catch (IOException e) {
        System.out.println("demo: cannot list examples/ (" + e + "); run from the project root"
            + " or name the files: Demo FILE...");
        System.exit(1);
      }
    }
    // make demo KEEP=1: keep the simulated cluster up for DEMO_KEEP_SECONDS (default 600).
    String keepFlag = System.getProperty("demo.keep", "");
    Duration keep = keepFlag.isEmpty() || keepFlag.equals("0") ? Duration.ZERO
        : Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("DEMO_KEEP_SECONDS", "600")));
    boolean terminal = System.console() != null && System.getenv("NO_COLOR") == null
        && !"dumb".equals(System.getenv("TERM"));
    System.exit(new Demo(DEFAULT_DEADLINE, keep, terminal).run(files, System.out));
  }

  /** {@code dir/*.yaml}, sorted, so runs print in the same order everywhere. */
  static List<Path> defaultExamples(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
      ds.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  /** One Workflow document to apply, with the final status its annotation asks for (or null). */
  record Example(Path file, String name, Phase expected, JsonObject object) {
    List<String> stepNames() {
      return Json.objects(object, "spec", "containers").stream()
          .map(c -> String.valueOf(Json.str(c, "stepName"))).distinct().toList();
    }
  }

  /** What was last printed for a workflow, so only changes are printed. */
  private record Seen(String line, Map<String, String> steps) {}

  /** A workflow as read back from the API. */
  private record Observed(String status, String progress, String message,
      Map<String, String> steps, Map<String, String> stepMessages) {
    boolean isFinal() {
      return Phase.Completed.name().equals(status) || Phase.Failed.name().equals(status);
    }
  }

  public int run(List<Path> files, PrintStream out) {
    out.println("""
        ==========================================================================
         workflow-operator demo -- the cluster is SIMULATED
         The Kubernetes API is an in-process server with a simulated Job runner:
         no Docker, no real pods. A step's `sh -c` script is not executed; its
         `sleep N`, `exit N` and `echo` are interpreted to decide how long the
         step runs and whether it succeeds. The operator is the real one, talking
         to that API over HTTP exactly as it would to a cluster.
        ==========================================================================""");
    List<Example> examples = new ArrayList<>();
    for (Path f : files) {
      String error = read(f, examples);
      if (error != null) {
        out.println("demo: " + f + ": " + error);
        return 1;
      }
    }
    Set<String> names = new HashSet<>();
    for (Example e : examples) {
      if (!names.add(e.name())) {
        out.println("demo: " + e.file() + ": a workflow named " + e.name()
            + " is already applied from another file; names must be unique");
        return 1;
      }
    }
    if (examples.isEmpty()) {
      out.println("demo: no workflows to run");
      return 1;
    }

    FakeApiServer server = new FakeApiServer().start();
    Operator operator = null;
    Thread operatorThread = null;
    AtomicReference<Throwable> crash = new AtomicReference<>();
    Path kubeconfig = null;
    try {
      kubeconfig = server.writeKubeconfig(Files.createTempFile("demo-kubeconfig", ".yaml"));
      // --namespaces as well, so a WATCH_NAMESPACES in the caller's environment cannot hide
      // the demo namespace from the operator.
      int port = freePort();
      Settings settings = Settings.parse(new String[] {"--kubeconfig", kubeconfig.toString(),
          "--tick-period", "2s", "--metrics-port", String.valueOf(port), "--leader-elect=false",
          "--log-level", "warn", "--namespaces", NAMESPACE}, System::getenv);
      // The operator's Log is global and only Main configures it; without this its per-action
      // info lines would drown the progress below.
      Log.configure(settings.logLevel(), settings.jsonLogs());
      operator = new Operator(settings);
      Operator op = operator;
      operatorThread = new Thread(() -> {
        try {
          op.run();
        } catch (Throwable t) {
          crash.set(t);
        }
      }, "demo-operator");
      operatorThread.setDaemon(true);
      operatorThread.start();

      ApiClient client = Config.fromUrl(server.url());
      client.setReadTimeout(30_000);
      KubeApi api = new KubeApi(client, null);
      out.println("API server: " + server.url() + " (simulated)");
      out.println("operator:   running in-process, tick period 2s, leader election off,"
          + " log level warn (its warnings go to stderr)");
      uiUrl = "http://127.0.0.1:" + port + "/ui/";
      out.println("web view:   " + uiUrl + " (open it in a browser; make demo KEEP=1 keeps it up"
          + " after the run)");
      out.println();
      for (Example e : examples) {
        JsonObject body = e.object().deepCopy();
        JsonObject meta = Json.obj(body, "metadata");
        meta.addProperty("namespace", NAMESPACE);
        try {
          api.create(Paths.workflows(NAMESPACE), body);
        } catch (ApiException ex) {
          out.println("demo: could not apply " + e.name() + " from " + e.file() + ": "
              + ex.getMessage());
          return 1;
        }
        out.println("applied " + NAMESPACE + "/" + e.name() + " from " + e.file() + "; expecting "
            + (e.expected() == null ? "it to finish" : e.expected().name()));
        out.print(dag(e).indent(4));
      }
      out.println();
      int code = watch(api, examples, operatorThread, crash, out);
      if (!keep.isZero()) {
        keepUp(kubeconfig, examples.get(0).name(), operatorThread, out);
      }
      return code;
    } catch (Settings.BadFlag | IOException e) {
      out.println("demo: cannot start: " + e.getMessage());
      return 1;
    } finally {
      if (operator != null) {
        operator.stop();
      }
      if (operatorThread != null) {
        try {
          operatorThread.join(10_000); // it finishes the tick in progress first
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      server.close();
      if (kubeconfig != null) {
        kubeconfig.toFile().delete();
      }
      Log.configure(Log.Level.INFO, false); // Log's own defaults, for whoever runs next in this JVM
    }
  }

  /** The waves the workflow will run in (what {@code plan} prints), or why it cannot run. */
  static String dag(Example e) {
    try {
      WorkflowSpec spec = Convert.spec(Json.at(e.object(), "spec"));
      List<String> problems = Validation.problems(spec);
      return problems.isEmpty() ? Text.waves(e.name(), spec)
          : "workflow " + e.name() + " is invalid: " + String.join("; ", problems) + "\n";
    } catch (Exception ex) {
      return "workflow " + e.name() + " is invalid: " + ex.getMessage() + "\n";
    }
  }

  /** A step state, coloured like get and the web view on a terminal; as is elsewhere. */
  private String paint(String state) {
    if (!colour) {
      return state;
    }
    try {
      return "\u001b[" + States.ansi(StepState.valueOf(state)) + "m" + state + "\u001b[0m";
    } catch (IllegalArgumentException unknown) {
      return state;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Keeps the simulated cluster and the operator up so a person can look (make demo KEEP=1). */
  private void keepUp(Path kubeconfig, String example, Thread operatorThread, PrintStream out) {
    out.println();
    out.println("The simulated cluster stays up for " + keep.toSeconds() + "s (Ctrl-C ends it sooner):");
    out.println("  web view:  " + uiUrl);
    out.println("  terminal:  make build && KUBECONFIG=" + kubeconfig
        + " java -jar target/workflow-operator.jar get -n " + NAMESPACE + " " + example);
    out.println("             (or: list -n " + NAMESPACE + ")");
    out.flush();
    long until = System.nanoTime() + keep.toNanos();
    while (System.nanoTime() < until && operatorThread.isAlive()) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Adds the file's Workflows to {@code into}; returns why it cannot, or null. */
  static String read(Path file, List<Example> into) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return "no such file";
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    }
    List<Example> found = new ArrayList<>();
    int index = 0;
    try {
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
        index++;
        if (doc == null) {
          continue;
        }
        JsonElement tree = new Gson().toJsonTree(doc);
        String where = "document " + index;
        if (tree instanceof JsonObject other && "v1".equals(Json.str(other, "apiVersion"))
            && List.of("Secret", "ConfigMap", "ServiceAccount").contains(Json.str(other, "kind"))) {
          continue; // what a Workflow's steps refer to; the simulated pods do not read it
        }
        if (!(tree instanceof JsonObject o)
            || !Names.KIND.equals(Json.str(o, "kind"))
            || !(Names.GROUP + "/" + Names.VERSION).equals(Json.str(o, "apiVersion"))) {
          return where + " is not a " + Names.GROUP + "/" + Names.VERSION + " " + Names.KIND;
        }
        String name = Json.str(o, "metadata", "name");
        if (name == null || name.isEmpty()) {
          return where + " has no metadata.name";
        }
        String want = Json.str(o, "metadata", "annotations", EXPECTED_ANNOTATION);
        Phase expected = null;
        if (want != null) {
          if (!want.equals(Phase.Completed.name()) && !want.equals(Phase.Failed.name())) {
            return "workflow " + name + ": annotation " + EXPECTED_ANNOTATION
                + " must be Completed or Failed, got " + want;
          }
          expected = Phase.valueOf(want);
        }
        found.add(new Example(file, name, expected, o));
      }
    } catch (YAMLException | IllegalArgumentException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return "invalid YAML: " + first;
    }
    if (found.isEmpty()) {
      return "no Workflow in file";
    }
    into.addAll(found);
    return null;
  }

  private int watch(KubeApi api, List<Example> examples, Thread operatorThread,
      AtomicReference<Throwable> crash, PrintStream out) {
    int width = examples.stream().mapToInt(e -> e.name().length()).max().orElse(0);
    // One width for every workflow/step key, so the state columns line up across workflows.
    int keyWidth = 1;
    for (Example e : examples) {
      for (String step : e.stepNames()) {
        keyWidth = Math.max(keyWidth, e.name().length() + 1 + step.length());
      }
    }
    Map<String, Seen> seen = new HashMap<>();
    Map<String, Observed> last = new LinkedHashMap<>();
    long start = System.nanoTime();
    String lastError = null;
    while (true) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      try {
        Map<String, Observed> now = observe(api);
        lastError = null;
        for (Example e : examples) {
          Observed o = now.get(e.name());
          if (o == null) {
            continue; // not listed yet
          }
          last.put(e.name(), o);
          String line = String.format("%-" + width + "s  %-9s  %-4s  %s", e.name(), o.status(),
              o.progress(), o.message()).stripTrailing();
          Seen before = seen.get(e.name());
          Map<String, String> prevSteps = before == null ? Map.of() : before.steps();
          // Finished steps before started ones, each in spec order: the cause reads before its effect.
          List<String> finished = new ArrayList<>();
          List<String> started = new ArrayList<>();
          for (String step : e.stepNames()) {
            String state = o.steps().get(step);
            String was = prevSteps.getOrDefault(step, "Waiting");
            if (state != null && !was.equals(state)) {
              String why = o.stepMessages().get(step);
              (state.equals("Running") ? started : finished).add(String.format(
                  "%10s %-" + keyWidth + "s  %s -> %s%s", "", e.name() + "/" + step, was, paint(state),
                  why == null ? "" : " (" + why + ")"));
            }
          }
          List<String> changes = new ArrayList<>(finished);
          changes.addAll(started);
          if (before == null || !before.line().equals(line) || !changes.isEmpty()) {
            out.printf("[%4.1fs] %s%n", elapsed, line);
            changes.forEach(out::println);
          }
          seen.put(e.name(), new Seen(line, o.steps()));
        }
      } catch (ApiException ex) {
        // The in-process server does not fail on its own; say so once, keep trying until the deadline.
        if (!String.valueOf(ex.getMessage()).equals(lastError)) {
          out.printf("[%4.1fs] cannot read workflows: %s%n", elapsed, ex.getMessage());
        }
        lastError = String.valueOf(ex.getMessage());
      }
      out.flush();
      if (examples.stream().allMatch(e -> last.containsKey(e.name()) && last.get(e.name()).isFinal())) {
        return summary(examples, last, elapsed, out);
      }
      if (!operatorThread.isAlive()) {
        out.println("demo: the operator stopped unexpectedly"
            + (crash.get() == null ? "" : ": " + crash.get()));
        summary(examples, last, elapsed, out);
        return 1;
      }
      if (elapsed > deadline.toSeconds()) {
        List<String> pending = examples.stream()
            .filter(e -> !last.containsKey(e.name()) || !last.get(e.name()).isFinal())
            .map(e -> e.name() + (last.containsKey(e.name())
                ? " (" + last.get(e.name()).status() + " " + last.get(e.name()).progress() + ")" : ""))
            .toList();
        out.println("demo: gave up after " + deadline.toSeconds() + "s; still not finished: "
            + String.join(", ", pending));
        summary(examples, last, elapsed, out);
        return 1;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        out.println("demo: interrupted");
        return 1;
      }
    }
  }

  private static Map<String, Observed> observe(KubeApi api) throws ApiException {
    Map<String, Observed> out = new HashMap<>();
    for (JsonObject wf : api.list(Paths.workflows(NAMESPACE), null)) {
      Map<String, String> steps = new LinkedHashMap<>();
      Map<String, String> messages = new HashMap<>();
      for (JsonObject s : Json.objects(wf, "status", "steps")) {
        String name = Json.str(s, "name");
        steps.put(name, String.valueOf(Json.str(s, "state")));
        if (Json.str(s, "message") != null) {
          messages.put(name, Json.str(s, "message"));
        }
      }
      String status = Json.str(wf, "status", "workflow-status");
      String progress = Json.str(wf, "status", "progress");
      String message = Json.str(wf, "status", "message");
      // Before the operator's first write: what the CRD's default shows on a real cluster.
      out.put(Json.str(wf, "metadata", "name"), new Observed(
          status == null ? Phase.Created.name() : status, progress == null ? "-" : progress,
          message == null ? "" : message, steps, messages));
    }
    return out;
  }

  private static int summary(List<Example> examples, Map<String, Observed> last, double elapsed,
      PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"WORKFLOW", "STATUS", "PROGRESS", "MESSAGE", "EXPECTED", "RESULT"});
    int ok = 0;
    for (Example e : examples) {
      Observed o = last.get(e.name());
      String status = o == null ? "(unseen)" : o.status();
      boolean good = o != null && o.isFinal()
          && (e.expected() == null || e.expected().name().equals(status));
      ok += good ? 1 : 0;
      rows.add(new String[] {e.name(), status, o == null ? "-" : o.progress(),
          o == null ? "" : o.message(), e.expected() == null ? "(any)" : e.expected().name(),
          good ? "OK" : "MISMATCH"});
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    out.println();
    out.printf("Summary after %.1fs on the SIMULATED cluster:%n", elapsed);
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder(" ");
      for (int i = 0; i < r.length; i++) {
        b.append(' ').append(String.format("%-" + widths[i] + "s", r[i])).append(' ');
      }
      out.println(b.toString().stripTrailing());
    }
    out.println();
    boolean all = ok == examples.size();
    out.println(all
        ? "OK: all " + examples.size() + " workflows reached their expected status."
        : "MISMATCH: " + (examples.size() - ok) + " of " + examples.size()
            + " workflows did not reach their expected status.");
    out.flush();
    return all ? 0 : 1;
  }
}
