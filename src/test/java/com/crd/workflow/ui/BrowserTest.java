package com.crd.workflow.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.KubeApi;
import com.crd.workflow.kube.Paths;
import com.crd.workflow.scenarios.OperatorProcess;
import com.crd.workflow.scenarios.Workflows;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.util.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web view as a person sees it: the real operator (its own JVM) against the in-process API,
 * and headless Chromium opening {@code /ui/}, then a running workflow, and watching it finish
 * without a reload. Saves a screenshot of the DAG page (the README's image: run with
 * {@code -Dui.screenshot=docs/dag.png} to refresh it). Skipped, saying so, without Chromium.
 */
@DisplayName("web view in a real browser")
class BrowserTest {
  static final String NS = "ui";
  FakeApiServer api;
  KubeApi kube;
  Path dir;
  Path kubeconfig;
  OperatorProcess operator;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApiServer().start();
    dir = Files.createDirectories(Path.of("target", "browser-test", "run-" + ProcessHandle.current().pid()
        + "-" + System.nanoTime()));
    kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
    kube = new KubeApi(Config.fromUrl(api.url()), null);
  }

  @AfterEach
  void stop() throws Exception {
    if (operator != null) {
      operator.stop();
    }
    api.close();
  }

  int startOperator(String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--tick-period", "1s", "--leader-elect=false"));
    args.addAll(List.of(extra));
    operator = OperatorProcess.start(kubeconfig, dir.resolve("operator.log"), args);
    return operator.metricsPort();
  }

  /** step -> state as the API has it now. */
  Map<String, String> apiStates(String name) throws Exception {
    Map<String, String> states = new TreeMap<>();
    JsonObject wf = kube.get(Paths.workflow(NS, name));
    for (JsonObject s : Json.objects(wf, "status", "steps")) {
      states.put(Json.str(s, "name"), Json.str(s, "state"));
    }
    return states;
  }

  static Map<String, String> states(JsonElement json) {
    Map<String, String> m = new TreeMap<>();
    JsonParser.parseString(json.getAsString()).getAsJsonObject().entrySet()
        .forEach(e -> m.put(e.getKey(), e.getValue().getAsString()));
    return m;
  }

  static final String TABLE_STATES = "JSON.stringify(Object.fromEntries([...document.querySelectorAll("
      + "'#steps tr[data-step]')].map(r => [r.dataset.step, r.dataset.state])))";
  static final String DAG_STATES = "JSON.stringify(Object.fromEntries([...document.querySelectorAll("
      + "'svg g.node[data-step]')].map(g => [g.dataset.step, g.dataset.state])))";

  @Test
  @Timeout(180)
  @DisplayName("Chromium opens /ui/, then a running workflow: every step with its current state, and again after it changes")
  void liveWorkflowPage() throws Exception {
    String chromium = Chromium.binary().orElse(null);
    Assumptions.assumeTrue(chromium != null,
        "chromium is not installed (Debian package chromium; .ci/run installs it): browser test skipped");
    int port = startOperator();
    Workflows wfs = new Workflows(kube, "busybox:1.36");
    kube.create(Paths.workflows(NS), wfs.workflow(NS, "pipeline", 120, Map.of("team", "demo"), List.of(
        Workflows.step("checkout", "sleep 1"),
        Workflows.step("lint", "sleep 2", "checkout"),
        Workflows.step("unit-test", "sleep 14", "checkout"),
        Workflows.step("build", "sleep 2", "checkout"),
        Workflows.step("docs", "sleep 1", "build"),
        Workflows.step("image", "sleep 3", "build"),
        Workflows.step("integration", "sleep 2", "unit-test", "image"),
        Workflows.step("publish", "sleep 1", "integration", "lint", "docs"))));
    Awaitility.await("the pipeline runs: some steps done, unit-test still running")
        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> apiStates("pipeline").values().containsAll(List.of("Succeeded", "Running")));

    String base = "http://127.0.0.1:" + port + "/ui/";
    try (Chromium browser = new Chromium(chromium, dir.resolve("profile"), 1280, 900)) {
      browser.open(base);
      String row = "document.querySelector('tr[data-workflow=\"ui/pipeline\"]')";
      Awaitility.await("the list shows the pipeline").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> browser.eval(row + " !== null").getAsBoolean());
      browser.eval(row + ".querySelector('a').click()");
      Awaitility.await("the workflow's page opens").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100)).until(() -> browser.eval(
              "location.pathname + '|' + document.readyState").getAsString().equals("/ui/wf/ui/pipeline|complete"));
      browser.eval("window.sameDocument = true"); // gone if anything reloads the page

      Map<String, String>[] seen = new Map[1];
      Awaitility.await("every step shows the state the API has").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<String, String> table = states(browser.eval(TABLE_STATES));
            Map<String, String> dag = states(browser.eval(DAG_STATES));
            Map<String, String> now = apiStates("pipeline");
            seen[0] = table;
            return table.size() == 8 && table.equals(dag) && table.equals(withWaiting(now, table));
          });
      assertTrue(seen[0].containsValue("Running"), "seen while running: " + seen[0]);
      assertEquals("Started", browser.eval("document.getElementById('phase').textContent").getAsString());
      String logs = browser.eval("document.querySelector('tr[data-step=\"checkout\"] code.logs').textContent")
          .getAsString();
      assertTrue(logs.matches("kubectl logs -n ui job/pipeline-checkout-[0-9a-f]{12}"), logs);
      browser.screenshot(Path.of(System.getProperty("ui.screenshot", "target/ui/dag.png")));

      Awaitility.await("the workflow completes").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250)).until(() -> "Completed".equals(
              Json.str(kube.get(Paths.workflow(NS, "pipeline")), "status", "workflow-status")));
      Awaitility.await("the open page shows it without a reload").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250)).until(() ->
              "Completed".equals(browser.eval("document.getElementById('phase').textContent").getAsString()));
      Map<String, String> table = states(browser.eval(TABLE_STATES));
      assertEquals(8, table.size());
      assertTrue(table.values().stream().allMatch("Succeeded"::equals), table.toString());
      assertEquals(table, states(browser.eval(DAG_STATES)));
      assertTrue(browser.eval("window.sameDocument === true").getAsBoolean(), "the page updated itself in place");
    }
  }

  /** Steps the status does not list yet are shown as Waiting. */
  static Map<String, String> withWaiting(Map<String, String> api, Map<String, String> shown) {
    Map<String, String> m = new TreeMap<>();
    shown.keySet().forEach(k -> m.put(k, api.getOrDefault(k, "Waiting")));
    return m;
  }

  @Test
  @Timeout(60)
  @DisplayName("--ui=false serves no web view; metrics stay")
  void uiOff() throws Exception {
    int port = startOperator("--ui=false");
    HttpClient http = HttpClient.newHttpClient();
    assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ui/")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
  }
}
