package com.crd.workflow.core.render;

import com.crd.workflow.core.Phase;
import com.crd.workflow.core.StepState;
import com.crd.workflow.core.Validation;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowStatus;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layouts;
import com.crd.workflow.core.render.StepRows.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A workflow as a tree for the terminal ({@code get}): its status lines, then the steps wave by
 * wave, each with its state, duration, attempts, Job and message. With {@code terminal} false the
 * output is plain ASCII without colour, for pipes and files.
 */
public final class Tree {
  private Tree() {}

  public static String render(Workflow wf, Function<String, Integer> attempts, Instant now,
      boolean terminal) {
    WorkflowStatus st = wf.status();
    String phase = st == null || st.phase() == null ? Phase.Created.name() : st.phase().name();
    StringBuilder b = new StringBuilder();
    line(b, "Name:", wf.name());
    line(b, "Namespace:", wf.namespace());
    line(b, "Status:", phase);
    if (st != null && !st.message().isEmpty()) {
      line(b, "Message:", st.message());
    }
    line(b, "Progress:", st == null || st.progress() == null ? "-" : st.progress());
    line(b, "Duration:", Durations.format(Durations.of(st, now)));
    if (st != null && st.statusChanged() != null) {
      line(b, "Changed:", st.statusChanged());
    }
    List<String> problems = wf.specError() != null ? List.of(wf.specError())
        : Validation.problems(wf.spec());
    problems.forEach(p -> line(b, "Problem:", p));
    if (wf.spec() == null) {
      return b.toString();
    }
    b.append('\n');
    Layout layout = Layouts.layout(wf.spec());
    List<Row> rows = StepRows.of(wf, layout, attempts, now);
    // Columns: tree+step, state, duration, attempt, depends on, job, message.
    List<String[]> cells = new ArrayList<>();
    List<StepState> states = new ArrayList<>();
    cells.add(new String[] {"STEP", "STATE", "DURATION", "ATTEMPT", "DEPENDS ON", "JOB", "MESSAGE"});
    states.add(null);
    cells.add(new String[] {symbol(null, terminal, true) + " " + wf.name(), phase,
        Durations.format(Durations.of(st, now)), "", "", "", ""});
    states.add(null);
    int waves = layout.layers().size();
    for (int w = 1; w <= waves; w++) {
      int wave = w;
      List<Row> inWave = rows.stream().filter(r -> r.wave() == wave).toList();
      boolean lastWave = w == waves;
      cells.add(new String[] {(lastWave ? corner(terminal) : tee(terminal)) + fork(terminal)
          + " wave " + w, "", "", "", "", "", ""});
      states.add(null);
      for (int i = 0; i < inWave.size(); i++) {
        Row r = inWave.get(i);
        String prefix = (lastWave ? "  " : bar(terminal) + " ")
            + (i == inWave.size() - 1 ? corner(terminal) : tee(terminal)) + dash(terminal) + " ";
        cells.add(new String[] {prefix + symbol(r.state(), terminal, false) + " " + r.name(),
            r.state().name(), Durations.format(r.duration()),
            r.attempts() == null ? "-" : String.valueOf(r.attempts()),
            r.dependsOn().isEmpty() ? "-" : String.join(",", r.dependsOn()),
            r.job() == null ? "-" : r.job(), r.message() == null ? "" : r.message()});
        states.add(r.state());
      }
    }
    int[] width = new int[7];
    for (String[] c : cells) {
      for (int i = 0; i < c.length; i++) {
        width[i] = Math.max(width[i], visible(c[i]));
      }
    }
    for (int k = 0; k < cells.size(); k++) {
      String[] c = cells.get(k);
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < c.length; i++) {
        String cell = pad(c[i], i == c.length - 1 ? 0 : width[i]);
        if (terminal && i == 1 && states.get(k) != null) {
          cell = "\u001b[" + States.ansi(states.get(k)) + "m" + cell + "\u001b[0m";
        }
        l.append(cell).append(i == c.length - 1 ? "" : "  ");
      }
      b.append(l.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(String.format("%-11s%s%n", key, value));
  }

  /** Characters a terminal shows: colour codes take no room. */
  static int visible(String s) {
    String plain = s.replaceAll("\u001b\\[[0-9;]*m", "");
    return plain.codePointCount(0, plain.length());
  }

  private static String pad(String s, int width) {
    int n = visible(s);
    return n >= width ? s : s + " ".repeat(width - n);
  }

  private static String symbol(StepState s, boolean terminal, boolean root) {
    if (root) {
      return terminal ? "\u25c6" : "#";
    }
    String sym = States.symbol(s, terminal);
    return terminal ? "\u001b[" + States.ansi(s) + "m" + sym + "\u001b[0m" : sym;
  }

  private static String tee(boolean t) {
    return t ? "\u251c" : "|";
  }

  private static String corner(boolean t) {
    return t ? "\u2514" : "`";
  }

  private static String bar(boolean t) {
    return t ? "\u2502" : "|";
  }

  private static String dash(boolean t) {
    return t ? "\u2500\u2500" : "--";
  }

  private static String fork(boolean t) {
    return t ? "\u2500\u252c" : "-+";
  }
}
