package com.crd.workflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code plan --format=...} against golden files in {@code src/test/resources/plan-golden}.
 * After an intended change, regenerate them with {@code mvn test -Dtest=PlanFormatsTest
 * -Dgolden.update=true} and review the diff.
 */
@DisplayName("plan --format")
class PlanFormatsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/plan-golden");

  record Run(int code, String out) {}

  static Run plan(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = Commands.plan(List.of(args), out);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    List<String> files = new ArrayList<>(CommandsTest.examples());
    files.add("src/test/resources/cli/cycle.yaml");
    files.add("src/test/resources/cli/unknown-dependency.yaml");
    for (String f : files) {
      for (String format : List.of("text", "dot", "mermaid")) {
        cases.add(Arguments.of(f, format));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cases")
  @DisplayName("matches its golden file")
  void golden(String file, String format) throws Exception {
    Run r = plan(file, "--format=" + format);
    boolean invalid = file.contains("/cli/");
    assertEquals(invalid ? 1 : 0, r.code(), r.out());
    String name = Path.of(file).getFileName().toString().replace(".yaml", "") + "." + format;
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, r.out());
    }
    assertEquals(Files.readString(golden), r.out(), "regenerate with -Dgolden.update=true if intended");
  }

  @Test
  @DisplayName("--format=text is what plan prints without a format")
  void textIsDefault() {
    assertEquals(plan("examples/diamond.yaml").out(), plan("examples/diamond.yaml", "--format=text").out());
    assertEquals(plan("examples/diamond.yaml").out(), plan("examples/diamond.yaml", "--format", "text").out());
  }

  static Document svg(String file) throws Exception {
    Run r = plan(file, "--format=svg");
    assertFalse(r.out().contains("<script"), r.out());
    assertFalse(r.out().contains("http:") && r.out().replace("http://www.w3.org/2000/svg", "").contains("http"),
        "no external references: " + r.out());
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> withClass(Document d, String tag, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = d.getElementsByTagName(tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.crd.workflow.cli.CommandsTest#examples")
  @DisplayName("the SVG of each example parses as XML with one node per step and one edge per dependency")
  void svgOfExamples(String file) throws Exception {
    Document d = svg(file);
    int steps = 0;
    int deps = 0;
    for (String line : Files.readAllLines(Path.of(file))) {
      String t = line.strip();
      if (t.startsWith("- stepName:")) {
        steps++;
      }
      if (t.startsWith("dependsOn:")) {
        deps += t.substring(t.indexOf('[') + 1, t.indexOf(']')).split(",").length;
      }
    }
    assertTrue(steps > 0);
    assertEquals(steps, withClass(d, "g", "node").size());
    assertEquals(deps, withClass(d, "path", "edge").size());
    assertEquals("svg", d.getDocumentElement().getLocalName());
  }

  @Test
  @DisplayName("an SVG of 100 steps x 16 dependencies parses, with every node and edge")
  void svgLargest(@TempDir Path dir) throws Exception {
    StringBuilder y = new StringBuilder("""
        apiVersion: workflow.crd.com/v1
        kind: Workflow
        metadata: {name: big}
        spec:
          containers:
        """);
    int deps = 0;
    for (int i = 0; i < 100; i++) {
      y.append("    - {stepName: step-").append(i).append(", image: busybox, dependsOn: [");
      List<String> ds = new ArrayList<>();
      for (int j = Math.max(0, i - 16); j < i; j++) {
        ds.add("step-" + j);
      }
      deps += ds.size();
      y.append(String.join(", ", ds)).append("]}\n");
    }
    Path f = Files.writeString(dir.resolve("big.yaml"), y.toString());
    Document d = svg(f.toString());
    assertEquals(100, withClass(d, "g", "node").size());
    assertEquals(deps, withClass(d, "path", "edge").size());
  }

  @Test
  @DisplayName("an invalid workflow still draws: cycle edges and the unknown step marked, problems written")
  void svgOfInvalid() throws Exception {
    Document cycle = svg("src/test/resources/cli/cycle.yaml");
    assertEquals(2, withClass(cycle, "path", "cycle").size());
    assertTrue(withClass(cycle, "text", "problem").get(0).getTextContent().contains("dependency cycle"));
    Document unknown = svg("src/test/resources/cli/unknown-dependency.yaml");
    assertEquals(1, withClass(unknown, "g", "missing").size());
    assertEquals(1, withClass(unknown, "path", "unknown").size());
    assertEquals(1, plan("src/test/resources/cli/cycle.yaml", "--format=svg").code());
  }

  @Test
  @DisplayName("HTML in step names, images and commands is escaped in every format")
  void escapes(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("x.yaml"), """
        apiVersion: workflow.crd.com/v1
        kind: Workflow
        metadata: {name: "x<script>alert(1)</script>"}
        spec:
          containers:
            - stepName: "<script>alert('a')</script>"
              image: "<img src=x onerror=alert(1)>"
              command: ["<script>"]
            - stepName: b
              image: busybox
              dependsOn: ["<b>\\"bold\\"</b>"]
        """);
    Document d = svg(f.toString());
    assertEquals(3, withClass(d, "g", "node").size(), "two steps and the missing dependency");
    assertEquals(1, withClass(d, "g", "missing").size());
    String mermaid = plan(f.toString(), "--format=mermaid").out();
    assertFalse(mermaid.contains("<script") || mermaid.contains("<b>"), mermaid);
    String dot = plan(f.toString(), "--format=dot").out();
    assertTrue(dot.contains("\\\"bold\\\""), dot);
  }

  @Test
  @DisplayName("svg and mermaid refuse a file of several workflows; an unknown format exits 2")
  void badArguments(@TempDir Path dir) throws Exception {
    String one = Files.readString(Path.of("examples/chain.yaml"));
    Path two = Files.writeString(dir.resolve("two.yaml"), one + "\n---\n"
        + Files.readString(Path.of("examples/diamond.yaml")));
    assertEquals(2, plan(two.toString(), "--format=svg").code());
    assertEquals(0, plan(two.toString(), "--format=dot").code());
    Run bad = plan("examples/chain.yaml", "--format=png");
    assertEquals(2, bad.code());
    assertTrue(bad.out().startsWith("unknown format png"), bad.out());
  }
}
