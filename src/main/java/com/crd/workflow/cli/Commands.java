package com.crd.workflow.cli;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.Validation;
import com.crd.workflow.core.WorkflowSpec;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layouts;
import com.crd.workflow.core.render.Dot;
import com.crd.workflow.core.render.Mermaid;
import com.crd.workflow.core.render.Svg;
import com.crd.workflow.core.render.Text;
import com.crd.workflow.kube.Convert;
import com.crd.workflow.kube.Json;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Offline commands over Workflow manifests, using the operator's own parsing and validation.
 * Exit codes: 0 valid, 1 a workflow is invalid, 2 a file could not be read or is not a Workflow.
 */
public final class Commands {
  private Commands() {}

  /** A Workflow document read from a file, or why it could not be. */
  record Doc(String file, String name, JsonObject object, String error) {}

  static List<Doc> read(String file) {
    List<Doc> docs = new ArrayList<>();
    List<Doc> otherKinds = new ArrayList<>();
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      return List.of(new Doc(file, null, null, "no such file"));
    } catch (IOException e) {
      return List.of(new Doc(file, null, null, "cannot read: " + e.getMessage()));
    }
    try {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      int index = 0;
      for (Object o : yaml.loadAll(text)) {
        index++;
        if (o == null) {
          continue;
        }
        String where = "document " + index;
        JsonElement e;
        try {
          e = new Gson().toJsonTree(o);
        } catch (RuntimeException | StackOverflowError ex) { // .nan, .inf, self-referencing anchors
          docs.add(new Doc(file, null, null, where + " cannot be read as JSON: " + ex.getMessage()));
          continue;
        }
        if (!(e instanceof JsonObject obj)) {
          docs.add(new Doc(file, null, null, where + " is not a Kubernetes object"));
          continue;
        }
        String kind = Json.str(obj, "kind");
        String api = Json.str(obj, "apiVersion");
        String expected = Names.GROUP + "/" + Names.VERSION;
        if (!Names.KIND.equals(kind) || !expected.equals(api)) {
          otherKinds.add(new Doc(file, null, null, where + " is " + api + " " + kind + ", not "
              + expected + " " + Names.KIND));
          continue;
        }
        String name = Json.str(obj, "metadata", "name");
        if (name == null || name.isEmpty()) {
          docs.add(new Doc(file, null, null, where + ": Workflow has no metadata.name"));
          continue;
        }
        docs.add(new Doc(file, name, obj, null));
      }
    } catch (MarkedYAMLException e) {
      String at = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
          + ", column " + (e.getProblemMark().getColumn() + 1);
      return List.of(new Doc(file, null, null, "invalid YAML" + at + ": " + e.getProblem()));
    } catch (YAMLException e) {
      String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("invalid YAML");
      return List.of(new Doc(file, null, null, "invalid YAML: " + first));
    }
    // Objects a Workflow needs (a Secret, a ConfigMap) may share its file; alone, they are a mistake.
    if (docs.stream().noneMatch(d -> d.error() == null)) {
      docs.addAll(otherKinds);
    }
    if (docs.isEmpty()) {
      docs.add(new Doc(file, null, null, "no Workflow in file"));
    }
    return docs;
  }

  /**
   * Problems of one Workflow document: fields the CRD does not know (which the API server would
   * drop without a word), then parsing, then the operator's validation.
   */
  static List<String> problems(Doc d) {
    List<String> problems = new ArrayList<>(Strict.unknownFields(Json.toData(d.object())));
    try {
      problems.addAll(Validation.problems(Convert.spec(Json.at(d.object(), "spec"))));
    } catch (Exception e) {
      problems.add(e.getMessage());
    }
    return problems;
  }

  public static int lint(List<String> files, PrintStream out) {
    if (files.isEmpty()) {
      out.println("usage: workflow-operator lint FILE...");
      return 2;
    }
    int worst = 0;
    for (String f : files) {
      for (Doc d : read(f)) {
        if (d.error() != null) {
          out.println(f + ": error: " + d.error());
          worst = 2;
          continue;
        }
        List<String> problems = problems(d);
        if (problems.isEmpty()) {
          out.println(f + ": workflow " + d.name() + ": ok");
        }
        for (String p : problems) {
          out.println(f + ": workflow " + d.name() + ": " + p);
          worst = Math.max(worst, 1);
        }
      }
    }
    return worst;
  }

  static final String PLAN_USAGE = "usage: workflow-operator plan FILE [--format=text|svg|dot|mermaid]";

  /**
   * {@code plan FILE [--format=...]}: {@code text} (the default) prints the waves, or the problems
   * of an invalid workflow; {@code svg}, {@code dot} and {@code mermaid} draw the DAG, an invalid
   * one too (its cycle and unknown dependencies marked, its problems written with it), and then
   * exit 1.
   */
  public static int plan(List<String> args, PrintStream out) {
    String format = "text";
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--format=")) {
        format = a.substring("--format=".length());
      } else if (a.equals("--format") && i + 1 < args.size()) {
        format = args.get(++i);
      } else if (a.startsWith("-")) {
        out.println("unknown flag " + a + "\n" + PLAN_USAGE);
        return 2;
      } else {
        files.add(a);
      }
    }
    if (files.size() != 1) {
      out.println(PLAN_USAGE);
      return 2;
    }
    if (!List.of("text", "svg", "dot", "mermaid").contains(format)) {
      out.println("unknown format " + format + "\n" + PLAN_USAGE);
      return 2;
    }
    List<Doc> docs = read(files.get(0));
    if (docs.size() > 1 && (format.equals("svg") || format.equals("mermaid"))) {
      out.println(files.get(0) + ": error: holds " + docs.size() + " documents; --format=" + format
          + " draws one workflow per file");
      return 2;
    }
    int worst = 0;
    for (Doc d : docs) {
      if (d.error() != null) {
        out.println(d.file() + ": error: " + d.error());
        worst = 2;
        continue;
      }
      List<String> problems = problems(d);
      WorkflowSpec spec;
      try {
        spec = Convert.spec(Json.at(d.object(), "spec"));
      } catch (Exception e) {
        spec = null; // unreadable: nothing to draw, the problem says why
      }
      if (!problems.isEmpty()) {
        worst = Math.max(worst, 1);
      }
      if (format.equals("text") || spec == null) {
        if (!problems.isEmpty()) {
          problems.forEach(p -> out.println(d.file() + ": workflow " + d.name() + ": " + p));
        } else {
          out.print(Text.waves(d.name(), spec));
          boolean shaped = !spec.podTemplate().isEmpty() || !spec.stepDefaults().isEmpty()
              || spec.steps().stream().anyMatch(st -> !st.container().isEmpty());
          if (shaped) {
            out.println("  pods: " + PodSummary.pod(spec.podTemplate()));
            for (com.crd.workflow.core.Step st : spec.steps()) {
              String c = PodSummary.container(spec.containerOf(st));
              if (!c.isEmpty()) {
                out.println("  step " + st.stepName() + ": " + c);
              }
            }
          }
        }
        continue;
      }
      Layout layout = Layouts.layout(spec);
      out.print(switch (format) {
        case "svg" -> Svg.render("workflow " + d.name(), layout, Map.of(), problems);
        case "dot" -> Dot.render(d.name(), layout, problems);
        default -> Mermaid.render(d.name(), layout, problems);
      });
    }
    return worst;
  }
}
