package com.crd.workflow.cli;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.Phase;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.render.Durations;
import com.crd.workflow.core.render.Tree;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.JobAttempts;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Response;

/**
 * {@code get} and {@code list}: the workflows of the current kube context, read-only. Exit codes:
 * 0 done (for {@code get --watch}: the workflow finished), 1 not found or the API failed, 2 usage.
 */
public final class ClusterCommands {
  static final String GET_USAGE = "usage: workflow-operator get [-n NAMESPACE] NAME [--watch] [--kubeconfig FILE]";
  static final String LIST_USAGE = "usage: workflow-operator list [-A | -n NAMESPACE] [--kubeconfig FILE]";
  static final String RERUN_USAGE = "usage: workflow-operator rerun [-n NAMESPACE] NAME [--kubeconfig FILE]";

  private ClusterCommands() {}

  /** Flags common to both commands; what is left is positional. */
  private record Args(String namespace, boolean all, boolean watch, String kubeconfig,
      List<String> rest, String error) {
    static Args parse(List<String> args) {
      String ns = null;
      String kubeconfig = null;
      boolean all = false;
      boolean watch = false;
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if ((a.equals("-n") || a.equals("--namespace") || a.equals("--kubeconfig")) && i + 1 < args.size()) {
          if (a.equals("--kubeconfig")) {
            kubeconfig = args.get(++i);
          } else {
            ns = args.get(++i);
          }
        } else if (a.startsWith("--namespace=") || a.startsWith("-n=")) {
          ns = a.substring(a.indexOf('=') + 1);
        } else if (a.startsWith("--kubeconfig=")) {
          kubeconfig = a.substring(a.indexOf('=') + 1);
        } else if (a.equals("-A") || a.equals("--all-namespaces")) {
          all = true;
        } else if (a.equals("-w") || a.equals("--watch")) {
          watch = true;
        } else if (a.startsWith("-")) {
          return new Args(null, false, false, null, rest, "unknown flag " + a);
        } else {
          rest.add(a);
        }
      }
      return new Args(ns, all, watch, kubeconfig, rest, null);
    }
  }

  public static int get(List<String> argv, PrintStream out, Function<String, String> env,
      boolean terminal, Clock clock) {
    Args a = Args.parse(argv);
    if (a.error() != null || a.rest().size() != 1 || a.all()) {
      out.println((a.error() == null ? "" : a.error() + "\n") + GET_USAGE);
      return 2;
    }
    String name = a.rest().get(0);
    Cluster cluster = connect(a, env, out);
    if (cluster == null) {
      return 1;
    }
    String ns = a.namespace() != null ? a.namespace() : cluster.namespace();
    KubeApi api = new KubeApi(cluster.client(), null);
    JsonObject object;
    try {
      object = api.get(Paths.workflow(ns, name));
    } catch (ApiException e) {
      out.println(e.getCode() == 404 ? "error: workflow " + name + " not found in namespace " + ns
          : "error: cannot read workflow " + ns + "/" + name + ": " + oneLine(e));
      return 1;
    }
    Screen screen = new Screen(out, terminal);
    Workflow wf = Convert.workflow(object);
    screen.draw(Tree.render(wf, attempts(api, wf), clock.instant(), terminal));
    if (!a.watch() || finished(wf)) {
      return 0;
    }
    return new WorkflowWatch(api, cluster, ns, name, screen, terminal, clock)
        .run(Json.str(object, "metadata", "resourceVersion"));
  }

  /**
   * Asks the operator to re-run a Failed workflow from its failure: sets the rerun annotation to
   * a fresh token, guarded by the resourceVersion that was seen Failed. Exits 1 with one line when
   * the workflow does not exist or is not Failed.
   */
  public static int rerun(List<String> argv, PrintStream out, Function<String, String> env,
      Clock clock) {
    Args a = Args.parse(argv);
    if (a.error() != null || a.rest().size() != 1 || a.all() || a.watch()) {
      out.println((a.error() == null ? "" : a.error() + "\n") + RERUN_USAGE);
      return 2;
    }
    String name = a.rest().get(0);
    Cluster cluster = connect(a, env, out);
    if (cluster == null) {
      return 1;
    }
    String ns = a.namespace() != null ? a.namespace() : cluster.namespace();
    KubeApi api = new KubeApi(cluster.client(), null);
    try {
      JsonObject object = api.get(Paths.workflow(ns, name));
      Workflow wf = Convert.workflow(object);
      String refused = refusal(wf);
      if (refused != null) {
        out.println("error: workflow " + ns + "/" + name + " " + refused);
        return 1;
      }
      String token = Long.toString(clock.millis(), 36) + "-"
          + java.util.UUID.randomUUID().toString().substring(0, 8);
      JsonObject meta = new JsonObject();
      meta.addProperty("resourceVersion", Json.str(object, "metadata", "resourceVersion"));
      JsonObject annotations = new JsonObject();
      annotations.addProperty(Names.ANNOTATION_RERUN, token);
      meta.add("annotations", annotations);
      JsonObject patch = new JsonObject();
      patch.add("metadata", meta);
      api.mergePatch(Paths.workflow(ns, name), patch);
      out.println("workflow " + ns + "/" + name + ": re-run from the failure requested ("
          + Names.ANNOTATION_RERUN + "=" + token + "); follow it with: workflow-operator get -n "
          + ns + " " + name + " --watch");
      return 0;
    } catch (ApiException e) {
      out.println(e.getCode() == 404 ? "error: workflow " + name + " not found in namespace " + ns
          : e.getCode() == 409 ? "error: workflow " + ns + "/" + name
              + " changed while the re-run was requested; try again"
          : "error: cannot re-run workflow " + ns + "/" + name + ": " + oneLine(e));
      return 1;
    }
  }

  /** Why a workflow cannot be re-run, as the end of one line; null when it can. */
  static String refusal(Workflow wf) {
    Phase phase = wf.status() == null ? null : wf.status().phase();
    if (phase != Phase.Failed) {
      return "is " + (phase == null ? "not started yet" : phase.name())
          + (phase == Phase.Completed ? ": nothing failed, nothing to re-run"
              : ": only a Failed workflow can be re-run");
    }
    if (wf.status().observedGeneration() < wf.generation()) {
      return "has a new spec: it starts over by itself";
    }
    if (com.crd.workflow.core.Statuses.REASON_INVALID.equals(
        com.crd.workflow.core.Statuses.activeReason(wf.status()))) {
      return "failed on an invalid spec: fix the spec (a spec change starts it over)";
    }
    if (wf.rerunToken() != null && !wf.rerunToken().equals(wf.status().rerunToken())) {
      return "already has a re-run requested (" + wf.rerunToken() + ") that the operator has not"
          + " acted on yet";
    }
    return null;
  }

  static boolean finished(Workflow wf) {
    return wf.status() != null && wf.status().phase() != null && wf.status().phase().isFinal()
        && wf.status().observedGeneration() >= wf.generation();
  }

  /** Attempts per Job of the workflow: one list call, by the uid label the operator sets. */
  static Function<String, Integer> attempts(KubeApi api, Workflow wf) {
    Map<String, Integer> byJob = new HashMap<>();
    try {
      for (JsonObject j : api.list(Paths.jobs(wf.namespace()), Names.LABEL_WORKFLOW_UID + "=" + wf.uid())) {
        byJob.put(wf.namespace() + "/" + Json.str(j, "metadata", "name"), JobAttempts.of(j));
      }
    } catch (ApiException e) {
      // no permission to list Jobs, or a hiccup: attempts show as "-"
    }
    return byJob::get;
  }

  static String oneLine(Exception e) {
    return com.crd.workflow.kube.ApiCalls.text(e);
  }

  /** Redraws in place on a terminal; elsewhere appends each new picture after a blank line. */
  static final class Screen {
    private final PrintStream out;
    private final boolean terminal;
    private String last;
    private int lines;

    Screen(PrintStream out, boolean terminal) {
      this.out = out;
      this.terminal = terminal;
    }

    void draw(String text) {
      if (text.equals(last)) {
        return;
      }
      if (last != null) {
        out.print(terminal ? "\u001b[" + lines + "A\u001b[J" : "\n");
      }
      out.print(text);
      out.flush();
      last = text;
      lines = (int) text.lines().count();
    }
  }

  /** Watches the one Workflow (a field selector on its name) and redraws on every change. */
  private record WorkflowWatch(KubeApi api, Cluster cluster, String ns, String name, Screen screen,
      boolean terminal, Clock clock) {
    int run(String resourceVersion) {
      String rv = resourceVersion;
      int failures = 0;
      while (true) {
        try (Response r = call(rv).execute()) {
          if (r.code() == 410) { // our resourceVersion is too old: read afresh below
            rv = null;
          } else if (!r.isSuccessful() || r.body() == null) {
            throw new IOException("watch: HTTP " + r.code());
          }
          BufferedReader in = rv == null ? new BufferedReader(java.io.Reader.nullReader())
              : new BufferedReader(r.body().charStream());
          String line;
          while ((line = in.readLine()) != null) {
            JsonObject ev = JsonParser.parseString(line).getAsJsonObject();
            String type = Json.str(ev, "type");
            JsonObject obj = Json.obj(ev, "object");
            if ("ERROR".equals(type)) {
              rv = null; // 410 Gone and the like: start again from a fresh read
              break;
            }
            if (obj != null && Json.str(obj, "metadata", "resourceVersion") != null) {
              rv = Json.str(obj, "metadata", "resourceVersion");
            }
            if ("DELETED".equals(type)) {
              screen.out.println("workflow " + ns + "/" + name + " was deleted");
              return 1;
            }
            if (("ADDED".equals(type) || "MODIFIED".equals(type)) && obj != null) {
              Workflow wf = Convert.workflow(obj);
              screen.draw(Tree.render(wf, attempts(api, wf), clock.instant(), terminal));
              if (finished(wf)) {
                return 0;
              }
            }
            failures = 0;
          }
        } catch (IOException | ApiException | RuntimeException e) {
          if (++failures > 5) {
            screen.out.println("error: watching workflow " + ns + "/" + name + ": " + oneLine(e));
            return 1;
          }
          sleep(Duration.ofMillis(500L * failures));
        }
        if (rv == null) { // re-read, then watch from there
          try {
            JsonObject o = api.get(Paths.workflow(ns, name));
            Workflow wf = Convert.workflow(o);
            screen.draw(Tree.render(wf, attempts(api, wf), clock.instant(), terminal));
            if (finished(wf)) {
              return 0;
            }
            rv = Json.str(o, "metadata", "resourceVersion");
          } catch (ApiException e) {
            screen.out.println(e.getCode() == 404 ? "workflow " + ns + "/" + name + " was deleted"
                : "error: cannot read workflow " + ns + "/" + name + ": " + oneLine(e));
            return 1;
          }
        }
      }
    }

    private Call call(String rv) throws ApiException {
      List<Pair> q = new ArrayList<>(List.of(new Pair("watch", "true"),
          new Pair("fieldSelector", "metadata.name=" + name), new Pair("allowWatchBookmarks", "true"),
          new Pair("timeoutSeconds", "300")));
      if (rv != null) {
        q.add(new Pair("resourceVersion", rv));
      }
      var c = cluster.watchClient();
      return c.buildCall(c.getBasePath(), Paths.workflows(ns), "GET", q, List.of(), null,
          Map.of("Accept", "application/json"), Map.of(), Map.of(), new String[] {"BearerToken"}, null);
    }

    private static void sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static int list(List<String> argv, PrintStream out, Function<String, String> env, Clock clock) {
    Args a = Args.parse(argv);
    if (a.error() != null || !a.rest().isEmpty() || a.watch() || (a.all() && a.namespace() != null)) {
      out.println((a.error() == null ? "" : a.error() + "\n") + LIST_USAGE);
      return 2;
    }
    Cluster cluster = connect(a, env, out);
    if (cluster == null) {
      return 1;
    }
    String ns = a.all() ? null : a.namespace() != null ? a.namespace() : cluster.namespace();
    List<JsonObject> items;
    try {
      items = new KubeApi(cluster.client(), null).list(Paths.workflows(ns), null);
    } catch (ApiException e) {
      out.println("error: cannot list workflows: " + oneLine(e));
      return 1;
    }
    if (items.isEmpty()) {
      out.println(ns == null ? "No resources found" : "No resources found in " + ns + " namespace.");
      return 0;
    }
    Instant now = clock.instant();
    List<String[]> rows = new ArrayList<>();
    rows.add(a.all() ? new String[] {"NAMESPACE", "NAME", "STATUS", "PROGRESS", "AGE", "DURATION", "MESSAGE"}
        : new String[] {"NAME", "STATUS", "PROGRESS", "AGE", "DURATION", "MESSAGE"});
    for (JsonObject o : items) {
      Workflow wf = Convert.workflow(o);
      String created = Json.str(o, "metadata", "creationTimestamp");
      String age = created == null ? "-"
          : Durations.format(Duration.between(Instant.parse(created), now).abs());
      String status = wf.status() == null || wf.status().phase() == null ? Phase.Created.name()
          : wf.status().phase().name();
      String progress = wf.status() == null || wf.status().progress() == null ? "" : wf.status().progress();
      String message = wf.status() == null ? "" : wf.status().message();
      String duration = Durations.format(Durations.of(wf.status(), now));
      rows.add(a.all() ? new String[] {wf.namespace(), wf.name(), status, progress, age, duration, message}
          : new String[] {wf.name(), status, progress, age, duration, message});
    }
    int[] width = new int[rows.get(0).length];
    rows.forEach(r -> {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    });
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s   ", r[i]));
      }
      out.println(b.toString().stripTrailing());
    }
    return 0;
  }

  /** The kube context the arguments name, or null after saying on {@code out} why it cannot load. */
  private static Cluster connect(Args a, Function<String, String> env, PrintStream out) {
    try {
      return Cluster.connect(a.kubeconfig(), env);
    } catch (IOException | RuntimeException e) {
      out.println("error: cannot load the kube context: " + e.getMessage());
      return null;
    }
  }
}
