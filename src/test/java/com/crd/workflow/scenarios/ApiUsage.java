package com.crd.workflow.scenarios;

import com.crd.workflow.fakeapi.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operator asked of the in-process API in this test run, in RBAC's terms: every
 * in-process cluster hands over its recorded requests when it closes, and those the operator
 * made (its User-Agent) become (apiGroup, resource, verb, namespace) uses. RBAC is then checked
 * against these, not against a list someone remembered to update.
 *
 * <p>The test classes run in several JVMs at once, so the uses go to files, one per cluster, in
 * the folder named by the {@code apiUsageDir} system property (Maven empties it before the tests
 * and checks RBAC after all of them: see the pom).
 */
public final class ApiUsage {
  /** One kind of request: {@code resource} includes a subresource ("workflows/status"). */
  public record Use(String apiGroup, String resource, String verb, String namespace)
      implements Comparable<Use> {
    @Override
    public int compareTo(Use o) {
      return toString().compareTo(o.toString());
    }
  }

  // /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]] and /apis/GROUP/VERSION[/namespaces/NS]/...
  private static final Pattern PATH = Pattern.compile(
      "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?$");
  private static final String COMPLETED = "suite-completed";
  private static int clusters;

  private ApiUsage() {}

  private static Path dir() {
    return Path.of(System.getProperty("apiUsageDir", "target/api-usage"));
  }

  /** Records one closed cluster's requests, in a file of its own: one use per line. */
  static synchronized void add(List<RecordedRequest> requests) {
    Set<Use> uses = new TreeSet<>();
    for (RecordedRequest r : requests) {
      if (r.userAgent() != null && r.userAgent().startsWith("workflow-operator/")) {
        uses.add(use(r));
      }
    }
    StringBuilder b = new StringBuilder();
    for (Use u : uses) {
      b.append(String.join("\t", u.apiGroup(), u.resource(), u.verb(),
          u.namespace() == null ? "" : u.namespace())).append('\n');
    }
    write("uses-" + ProcessHandle.current().pid() + "-" + (++clusters) + ".tsv", b.toString());
  }

  /** Every use recorded in this test run, by every JVM. */
  public static synchronized Set<Use> uses() {
    Set<Use> out = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir())) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".tsv")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String[] c = line.split("\t", -1);
          out.add(new Use(c[0], c[1], c[2], c[3].isEmpty() ? null : c[3]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The in-process scenario suite ran to its end in this test run. */
  static void suiteCompleted() {
    write(COMPLETED, "");
  }

  static boolean suiteRan() {
    return Files.exists(dir().resolve(COMPLETED));
  }

  private static void write(String name, String text) {
    try {
      Files.createDirectories(dir());
      Files.writeString(dir().resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Use use(RecordedRequest r) {
    Matcher m = PATH.matcher(r.path());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a resource path: " + r.path());
    }
    // "/api/v1/namespaces/NS" itself reads as resource "namespaces" named NS: PATH cannot tell.
    String group = m.group(1) == null ? "" : m.group(1);
    String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
    boolean named = m.group(4) != null;
    String verb = switch (r.method()) {
      case "GET" -> r.isWatch() ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> throw new IllegalArgumentException("unexpected method " + r.method());
    };
    return new Use(group, resource, verb, m.group(2));
  }
}
