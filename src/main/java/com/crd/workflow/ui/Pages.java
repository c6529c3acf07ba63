package com.crd.workflow.ui;

import static com.crd.workflow.core.render.Escape.xml;

import com.crd.workflow.core.Phase;
import com.crd.workflow.core.Validation;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.layout.Layout;
import com.crd.workflow.core.layout.Layouts;
import com.crd.workflow.core.render.Durations;
import com.crd.workflow.core.render.States;
import com.crd.workflow.core.render.StepRows;
import com.crd.workflow.core.render.StepRows.Row;
import com.crd.workflow.core.render.Svg;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/** The HTML of the web view. Everything that came from a Workflow goes through {@code xml()}. */
final class Pages {
  static final int PAGE_SIZE = 50;

  /** {@code content} is what a poll replaces; {@code document} wraps it in the page. */
  record Page(int code, String title, String content, String base) {
    String document() {
      return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
          + "<title>" + xml(title) + "</title><link rel=\"stylesheet\" href=\"" + base + "style.css\">"
          + "</head><body><header><a href=\"" + base + "\">workflows</a>"
          + "<span class=\"ro\">read-only view of the operator's last observation</span></header>\n"
          + "<main id=\"content\">" + content + "</main>\n"
          + "<script src=\"" + base + "app.js\"></script></body></html>\n";
    }
  }

  /** The last sorted snapshot, reused while the supplier hands out the same collection. */
  private record Sorted(Collection<Workflow> source, List<Workflow> sorted, List<String> namespaces) {}

  private final Supplier<Collection<Workflow>> workflows;
  private final Function<String, Integer> attempts;
  private final Clock clock;
  private volatile Sorted sorted = new Sorted(null, List.of(), List.of());

  Pages(Supplier<Collection<Workflow>> workflows, Function<String, Integer> attempts, Clock clock) {
    this.workflows = workflows;
    this.attempts = attempts == null ? job -> null : attempts;
    this.clock = clock;
  }

  private Sorted snapshot() {
    Collection<Workflow> now = workflows.get();
    Sorted s = sorted;
    if (now == null) {
      return new Sorted(null, List.of(), List.of());
    }
    if (s.source() != now) {
      List<Workflow> list = new ArrayList<>(now);
      list.sort(Comparator.comparing(Workflow::namespace).thenComparing(Workflow::name));
      TreeSet<String> ns = new TreeSet<>();
      list.forEach(w -> ns.add(w.namespace()));
      s = new Sorted(now, list, List.copyOf(ns));
      sorted = s;
    }
    return s;
  }

  static String phase(Workflow w) {
    return w.status() == null || w.status().phase() == null ? Phase.Created.name() : w.status().phase().name();
  }

  Page list(String ns, String status, String pageParam) {
    Sorted s = snapshot();
    String nsFilter = ns == null || ns.isEmpty() ? null : ns;
    String stFilter = status == null || status.isEmpty() ? null : status;
    int page = 1;
    try {
      page = Math.max(1, Integer.parseInt(pageParam == null ? "1" : pageParam.trim()));
    } catch (NumberFormatException ignored) {
      // page=abc: the first page
    }
    List<Workflow> match = s.sorted().stream()
        .filter(w -> nsFilter == null || nsFilter.equals(w.namespace()))
        .filter(w -> stFilter == null || stFilter.equals(phase(w))).toList();
    int pages = Math.max(1, (match.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    page = Math.min(page, pages);
    StringBuilder b = new StringBuilder();
    b.append("<h1>Workflows</h1>");
    b.append("<form method=\"get\" action=\"\" class=\"filter\"><label>namespace <select name=\"ns\">")
        .append(option("", "all", nsFilter == null));
    s.namespaces().forEach(n -> b.append(option(n, n, n.equals(nsFilter))));
    b.append("</select></label> <label>status <select name=\"status\">")
        .append(option("", "any", stFilter == null));
    for (Phase p : Phase.values()) {
      b.append(option(p.name(), p.name(), p.name().equals(stFilter)));
    }
    b.append("</select></label> <button type=\"submit\">filter</button></form>");
    b.append("<p class=\"count\" id=\"count\">").append(match.size()).append(" of ")
        .append(s.sorted().size()).append(" workflows").append(pages > 1 ? ", page " + page + " of " + pages : "")
        .append("</p>");
    b.append("<table id=\"workflows\"><thead><tr><th>namespace</th><th>name</th><th>status</th>")
        .append("<th>progress</th><th>duration</th><th>message</th></tr></thead><tbody>");
    Instant now = clock.instant();
    for (Workflow w : match.subList((page - 1) * PAGE_SIZE, Math.min(match.size(), page * PAGE_SIZE))) {
      String phase = phase(w);
      b.append("<tr data-workflow=\"").append(xml(w.key())).append("\" data-status=\"").append(xml(phase))
          .append("\"><td>").append(xml(w.namespace())).append("</td><td><a href=\"wf/")
          .append(url(w.namespace())).append('/').append(url(w.name())).append("\">").append(xml(w.name()))
          .append("</a></td><td class=\"phase ").append(xml(phase)).append("\">").append(xml(phase))
          .append("</td><td>").append(xml(w.status() == null || w.status().progress() == null ? "-" : w.status().progress()))
          .append("</td><td>").append(Durations.format(Durations.of(w.status(), now)))
          .append("</td><td class=\"msg\">").append(xml(w.status() == null ? "" : w.status().message()))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    if (pages > 1) {
      b.append("<nav class=\"pages\">");
      if (page > 1) {
        b.append("<a rel=\"prev\" href=\"").append(listHref(nsFilter, stFilter, page - 1)).append("\">previous</a> ");
      }
      if (page < pages) {
        b.append("<a rel=\"next\" href=\"").append(listHref(nsFilter, stFilter, page + 1)).append("\">next</a>");
      }
      b.append("</nav>");
    }
    return new Page(200, "workflows", b.toString(), "");
  }

  private static String listHref(String ns, String status, int page) {
    return "?ns=" + url(ns == null ? "" : ns) + "&amp;status=" + url(status == null ? "" : status) + "&amp;page=" + page;
  }

  private static String option(String value, String label, boolean selected) {
    return "<option value=\"" + xml(value) + "\"" + (selected ? " selected" : "") + ">" + xml(label) + "</option>";
  }

  Page workflow(String ns, String name) {
    Workflow w = snapshot().sorted().stream()
        .filter(x -> x.namespace().equals(ns) && x.name().equals(name)).findFirst().orElse(null);
    if (w == null) {
      return notFound("no workflow " + ns + "/" + name + " (it may have been deleted, or the operator"
          + " has not observed it yet)", "../../");
    }
    String phase = phase(w);
    Instant now = clock.instant();
    StringBuilder b = new StringBuilder();
    b.append("<h1>").append(xml(w.namespace())).append(" / <span id=\"name\">").append(xml(w.name()))
        .append("</span></h1>");
    b.append("<p class=\"status\"><span id=\"phase\" class=\"phase ").append(xml(phase)).append("\">")
        .append(xml(phase)).append("</span> ");
    if (w.status() != null) {
      b.append("progress <b id=\"progress\">").append(xml(w.status().progress() == null ? "-" : w.status().progress()))
          .append("</b> · duration ").append(Durations.format(Durations.of(w.status(), now)))
          .append(" · since ").append(xml(w.status().statusChanged() == null ? "-" : w.status().statusChanged()))
          .append("</p><p class=\"msg\" id=\"message\">").append(xml(w.status().message()));
    }
    b.append("</p>");
    List<String> problems = w.specError() != null ? List.of(w.specError())
        : Validation.problems(w.spec());
    if (!problems.isEmpty()) {
      b.append("<div class=\"problems\" id=\"problems\"><b>invalid spec</b><ul>");
      problems.forEach(p -> b.append("<li>").append(xml(p)).append("</li>"));
      b.append("</ul></div>");
    }
    if (w.spec() == null) {
      return new Page(200, w.key(), b.toString(), "../../");
    }
    Layout layout = Layouts.layout(w.spec());
    b.append("<div class=\"dag\">").append(Svg.render("workflow " + w.key(), layout,
        StepRows.observed(w), problems)).append("</div>");
    b.append("<table id=\"steps\"><thead><tr><th>wave</th><th>step</th><th>state</th><th>job</th>")
        .append("<th>started (UTC)</th><th>finished</th><th>duration</th><th>attempts</th><th>message</th>")
        .append("<th>logs</th></tr></thead><tbody>");
    for (Row r : StepRows.of(w, layout, attempts, now)) {
      b.append("<tr data-step=\"").append(xml(r.name())).append("\" data-state=\"").append(r.state().name())
          .append("\"><td>").append(r.wave()).append("</td><td class=\"name\">").append(xml(r.name()))
          .append(r.dependsOn().isEmpty() ? "" : "<small> after " + xml(String.join(", ", r.dependsOn())) + "</small>")
          .append("</td><td class=\"state ").append(r.state().name()).append("\">")
          .append(States.symbol(r.state(), true)).append(' ').append(r.state().name())
          .append("</td><td>").append(xml(dash(r.job()))).append("</td><td>").append(time(r.startedAt()))
          .append("</td><td>").append(time(r.finishedAt())).append("</td><td>")
          .append(Durations.format(r.duration())).append("</td><td>")
          .append(r.attempts() == null ? "-" : r.attempts()).append("</td><td class=\"msg\">")
          .append(xml(r.message() == null ? "" : r.message())).append("</td><td>");
      if (r.job() != null) {
        b.append("<code class=\"logs\">kubectl logs -n ").append(xml(w.namespace())).append(" job/")
            .append(xml(r.job())).append("</code>");
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table>");
    return new Page(200, w.key(), b.toString(), "../../");
  }

  Page notFound(String why) {
    return notFound(why, "/ui/");
  }

  private static Page notFound(String why, String base) {
    return new Page(404, "not found", "<h1>Not found</h1><p id=\"not-found\">" + xml(why)
        + "</p><p><a href=\"" + base + "\">all workflows</a></p>", base);
  }

  /** The time of day (UTC) to read at a glance; the full timestamp on hover and in the markup. */
  private static String time(String rfc3339) {
    if (rfc3339 == null || rfc3339.isEmpty()) {
      return "-";
    }
    int t = rfc3339.indexOf('T');
    String shown = t > 0 && rfc3339.length() >= t + 9 ? rfc3339.substring(t + 1, t + 9) : rfc3339;
    return "<time datetime=\"" + xml(rfc3339) + "\" title=\"" + xml(rfc3339) + "\">" + xml(shown) + "</time>";
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
