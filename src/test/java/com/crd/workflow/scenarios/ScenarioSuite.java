package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.kube.Json;
import com.crd.workflow.scenarios.Workflows.StepDef;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLockTarget;

/**
 * The mission, end to end, written once against {@link TestCluster}: run in-process by
 * {@code make test}, on k3s when Docker is present, and on Kind by {@code make e2e}.
 *
 * <p>Scenarios run at once, each in its own namespace, against the same operators, as a cluster's
 * workflows do. Those that change or count what the operators do (kill them, run two, count
 * their writes) take the {@link #OPERATORS} lock for themselves and run alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = ScenarioSuite.OPERATORS, mode = ResourceAccessMode.READ,
    target = ResourceLockTarget.CHILDREN)
public abstract class ScenarioSuite {
  /** The operator instances: shared by every scenario, held alone by those that change them. */
  static final String OPERATORS = "workflow-operator instances";

  protected TestCluster cluster;
  protected Workflows wfs;

  /** Starts the cluster (and whatever it needs) for the whole suite. */
  protected abstract TestCluster createCluster() throws Exception;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = createCluster();
    wfs = new Workflows(cluster.api(), cluster.image());
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void oneOperator() throws Exception {
    cluster.setOperators(1);
  }

  /** Polls with a deadline scaled to the cluster's speed; never a fixed sleep. */
  protected ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds((long) seconds * cluster.slowdown()))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions();
  }

  private Callable<Boolean> statusIs(String ns, String name, String status) {
    return () -> status.equals(wfs.status(ns, name));
  }

  @Test
  @DisplayName("a 3-step chain: exactly 3 Jobs, owned by the workflow, carrying its labels; Completed")
  void chain() throws Exception {
    String ns = cluster.newNamespace("chain");
    JsonObject created = wfs.create(wfs.workflow(ns, "chain", 60, Map.of("team", "data"),
        List.of(step("a", "sleep 1"), step("b", "echo b", "a"), step("c", "sleep 1", "b"))));
    String uid = Json.str(created, "metadata", "uid");
    within(60).until(statusIs(ns, "chain", "Completed"));
    List<JsonObject> jobs = wfs.jobsOf(ns, "chain");
    assertEquals(3, jobs.size(), "one Job per step");
    assertEquals(Set.of("a", "b", "c"), jobs.stream().map(Workflows::step).collect(Collectors.toSet()));
    for (JsonObject j : jobs) {
      JsonObject owner = Json.objects(j, "metadata", "ownerReferences").get(0);
      assertEquals(uid, Json.str(owner, "uid"));
      assertEquals("Workflow", Json.str(owner, "kind"));
      assertTrue(owner.get("controller").getAsBoolean());
      assertEquals("data", Json.strings(j, "metadata", "labels").get("team"));
    }
    JsonObject status = Json.obj(wfs.get(ns, "chain"), "status");
    assertEquals("3/3", Json.str(status, "progress"));
    assertEquals(List.of("a", "b", "c"), strings(status, "executedSteps"));
  }

  @Test
  @DisplayName("deleting a workflow deletes all its Jobs")
  void deletion() throws Exception {
    String ns = cluster.newNamespace("delete");
    wfs.create(wfs.workflow(ns, "doomed", 60, Map.of(),
        List.of(step("a", "sleep 30"), step("b", "sleep 30"))));
    within(60).until(() -> wfs.jobsOf(ns, "doomed").size() == 2);
    wfs.delete(ns, "doomed");
    within(60).until(() -> wfs.jobs(ns).isEmpty());
  }

  @Test
  @DisplayName("a failing step: Failed naming the step, and nothing downstream ever starts")
  void failure() throws Exception {
    String ns = cluster.newNamespace("fail");
    wfs.create(wfs.workflow(ns, "broken", 60, Map.of(),
        List.of(step("a", "echo ok"), step("b", "exit 3", "a"), step("c", "echo never", "b"))));
    within(90).until(statusIs(ns, "broken", "Failed"));
    assertTrue(wfs.message(ns, "broken").startsWith("step b failed"), wfs.message(ns, "broken"));
    assertEquals(Set.of("a", "b"),
        wfs.jobsOf(ns, "broken").stream().map(Workflows::step).collect(Collectors.toSet()));
  }

  @Test
  @DisplayName("the diamond: Started whenever c is seen running, d only after both b and c, then Completed")
  void diamond() throws Exception {
    String ns = cluster.newNamespace("diamond");
    wfs.create(wfs.workflow(ns, "diamond", 120, Map.of(), List.of(step("a", "sleep 1"),
        step("b", "echo b", "a"), step("c", "sleep 3", "a"), step("d", "echo d", "b", "c"))));
    // Every observation must be consistent, however few a loaded machine manages to make: no
    // window has to be hit.
    List<String> inconsistent = new ArrayList<>();
    within(90).until(() -> {
      Map<String, JsonObject> jobs = byStep(ns, "diamond");
      String status = wfs.status(ns, "diamond");
      JsonObject c = jobs.get("c");
      if (c != null && Json.num(c, 0, "status", "succeeded") < 1) {
        if (!"Started".equals(status)) {
          inconsistent.add("c running but workflow " + status);
        }
        if (jobs.containsKey("d")) {
          inconsistent.add("d created while c runs");
        }
      }
      return "Completed".equals(status);
    });
    assertEquals(List.of(), inconsistent);
    Map<String, JsonObject> byStep = byStep(ns, "diamond");
    assertEquals(Set.of("a", "b", "c", "d"), byStep.keySet());
    Instant aDone = Instant.parse(Json.str(byStep.get("a"), "status", "completionTime"));
    for (String s : List.of("b", "c")) {
      Instant made = Instant.parse(Json.str(byStep.get(s), "metadata", "creationTimestamp"));
      assertFalse(made.isBefore(aDone), s + " created " + made + " before a finished " + aDone);
      Instant done = Instant.parse(Json.str(byStep.get(s), "status", "completionTime"));
      Instant dMade = Instant.parse(Json.str(byStep.get("d"), "metadata", "creationTimestamp"));
      assertFalse(dMade.isBefore(done), "d created " + dMade + " before " + s + " finished " + done);
    }
  }

  @Test
  @DisplayName("a step that outlives maxStepTimeout: Failed, and still Failed after its sleep would end")
  void timeout() throws Exception {
    String ns = cluster.newNamespace("timeout");
    wfs.create(wfs.workflow(ns, "slow", 2, Map.of(), List.of(step("a", "sleep 8"), step("b", "echo", "a"))));
    within(60).until(statusIs(ns, "slow", "Failed"));
    assertEquals("step a timed out after 2s", wfs.message(ns, "slow"));
    await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "Failed".equals(wfs.status(ns, "slow")) && !hasJob(ns, "slow", "b"));
  }

  @Test
  @DisplayName("relabelling a workflow (change, add, remove) relabels every Job")
  void relabel() throws Exception {
    String ns = cluster.newNamespace("relabel");
    wfs.create(wfs.workflow(ns, "labels", 60, Map.of("team", "a", "drop", "me"),
        List.of(step("a", "echo a"), step("b", "sleep 3", "a"), step("c", "sleep 2", "b"))));
    within(60).until(() -> hasJob(ns, "labels", "b"));
    wfs.setLabels(ns, "labels", Map.of("team", "b", "env", "prod"), List.of("drop"));
    within(60).until(statusIs(ns, "labels", "Completed"));
    within(30).until(() -> wfs.jobsOf(ns, "labels").size() == 3
        && wfs.jobsOf(ns, "labels").stream().allMatch(j -> {
          Map<String, String> l = Json.strings(j, "metadata", "labels");
          return "b".equals(l.get("team")) && "prod".equals(l.get("env")) && !l.containsKey("drop");
        }));
  }

  @Test
  @DisplayName("a spec update with renamed steps: old Jobs gone, exactly the new Jobs, Completed")
  void specUpdate() throws Exception {
    String ns = cluster.newNamespace("update");
    wfs.create(wfs.workflow(ns, "evolve", 60, Map.of(),
        List.of(step("old-a", "sleep 3"), step("old-b", "echo", "old-a"))));
    within(60).until(() -> hasJob(ns, "evolve", "old-a"));
    wfs.setSpec(ns, "evolve", wfs.spec(60, List.of(step("new-x", "echo x"), step("new-y", "echo y", "new-x"))));
    within(60).until(() -> stepsWithJobs(ns, "evolve").stream().noneMatch(s -> s.startsWith("old-")));
    within(90).until(statusIs(ns, "evolve", "Completed"));
    within(30).until(() -> Set.of("new-x", "new-y").equals(stepsWithJobs(ns, "evolve"))
        && wfs.jobs(ns).size() == 2);
    JsonObject status = Json.obj(wfs.get(ns, "evolve"), "status");
    assertEquals(List.of("new-x", "new-y"), strings(status, "executedSteps"));
  }

  @Test
  @DisplayName("invalid workflows (cycle, unknown dependency) fail with the exact message; a valid one beside them completes")
  void invalid() throws Exception {
    String ns = cluster.newNamespace("invalid");
    wfs.create(wfs.workflow(ns, "cycle", 60, Map.of(),
        List.of(step("a", "echo", "b"), step("b", "echo", "a"))));
    boolean admitted = true;
    try {
      wfs.create(wfs.workflow(ns, "unknown", 60, Map.of(), List.of(step("a", "echo", "ghost"))));
    } catch (ApiException e) {
      admitted = false; // the CRD's CEL rule rejects it at admission on a real API server
      assertEquals(422, e.getCode());
      assertTrue(e.getResponseBody().contains("dependsOn"), e.getResponseBody());
    }
    wfs.create(wfs.workflow(ns, "fine", 60, Map.of(), List.of(step("a", "echo"))));
    within(60).until(statusIs(ns, "cycle", "Failed"));
    assertEquals("dependency cycle: a -> b -> a", wfs.message(ns, "cycle"));
    if (admitted) {
      within(60).until(statusIs(ns, "unknown", "Failed"));
      assertEquals("step a depends on unknown step ghost", wfs.message(ns, "unknown"));
    }
    within(60).until(statusIs(ns, "fine", "Completed"));
    assertEquals(List.of(), wfs.jobsOf(ns, "cycle"));
    assertEquals(List.of(), wfs.jobsOf(ns, "unknown"));
  }

  @Test
  @DisplayName("crash safety: a Job finishing while the operator is down is not re-run, and the workflow completes")
  @ResourceLock(value = OPERATORS, mode = ResourceAccessMode.READ_WRITE)
  void crashSafety() throws Exception {
    String ns = cluster.newNamespace("crash");
    wfs.create(wfs.workflow(ns, "survivor", 120, Map.of(),
        List.of(step("a", "echo a"), step("b", "sleep 5", "a"), step("c", "echo c", "b"))));
    within(60).until(() -> hasJob(ns, "survivor", "b") && !succeeded(ns, "survivor", "b"));
    Map<String, String> uidsBefore = uids(ns, "survivor");
    cluster.setOperators(0);
    within(60).until(() -> succeeded(ns, "survivor", "b"));
    assertFalse(hasJob(ns, "survivor", "c"), "nothing acts while the operator is down");
    cluster.setOperators(1);
    within(90).until(statusIs(ns, "survivor", "Completed"));
    Map<String, String> uidsAfter = uids(ns, "survivor");
    assertEquals(3, uidsAfter.size());
    assertEquals(uidsBefore.get("a"), uidsAfter.get("a"), "a was not re-run");
    assertEquals(uidsBefore.get("b"), uidsAfter.get("b"), "b was not re-run");
  }

  @Test
  @DisplayName("two operator instances at once: no duplicate Jobs, every workflow completes")
  @ResourceLock(value = OPERATORS, mode = ResourceAccessMode.READ_WRITE)
  void twoInstances() throws Exception {
    String ns = cluster.newNamespace("pair");
    cluster.setOperators(2);
    for (int i = 0; i < 5; i++) {
      wfs.create(wfs.workflow(ns, "pair-" + i, 60, Map.of(), List.of(step("a", "echo"),
          step("b", "sleep 1", "a"), step("c", "echo", "a"), step("d", "echo", "b", "c"))));
    }
    for (int i = 0; i < 5; i++) {
      within(120).until(statusIs(ns, "pair-" + i, "Completed"));
    }
    assertNoDuplicates(ns, 5, 4);
  }

  @Test
  @DisplayName("a no-op tick after completion makes zero write calls")
  @ResourceLock(value = OPERATORS, mode = ResourceAccessMode.READ_WRITE)
  void quietWhenDone() throws Exception {
    String ns = cluster.newNamespace("quiet");
    wfs.create(wfs.workflow(ns, "done", 60, Map.of(), List.of(step("a", "echo"), step("b", "echo", "a"))));
    within(60).until(statusIs(ns, "done", "Completed"));
    OptionalLong ticks = cluster.ticks();
    org.junit.jupiter.api.Assumptions.assumeTrue(ticks.isPresent() && cluster.operatorWrites().isPresent(),
        "this cluster cannot count the operator's ticks and writes");
    long settle = ticks.orElseThrow() + 1; // let the tick that observed the completion pass
    within(60).until(() -> cluster.ticks().orElseThrow() >= settle);
    long writesBefore = cluster.operatorWrites().orElseThrow();
    long ticksBefore = cluster.ticks().orElseThrow();
    within(60).until(() -> cluster.ticks().orElseThrow() >= ticksBefore + 3);
    assertEquals(writesBefore, cluster.operatorWrites().orElseThrow(),
        "writes during " + (cluster.ticks().orElseThrow() - ticksBefore) + " idle ticks");
  }

  @Test
  @DisplayName("50 workflows of 10 steps at once all complete with zero duplicate Jobs")
  void fiftyWorkflows() throws Exception {
    String ns = cluster.newNamespace("load");
    for (int w = 0; w < 50; w++) {
      List<StepDef> steps = new ArrayList<>();
      for (int s = 0; s < 10; s++) {
        List<String> deps = new ArrayList<>();
        if (s >= 1) {
          deps.add("s" + (s - 1));
        }
        if (s >= 3 && s % 3 == 0) {
          deps.add("s" + (s - 3));
        }
        steps.add(new StepDef("s" + s, s % 2 == 0 ? "echo" : "sleep 0.2", deps));
      }
      wfs.create(wfs.workflow(ns, "load-" + w, 300, Map.of(), steps));
    }
    within(300).until(() -> cluster.api().list(com.crd.workflow.kube.Paths.workflows(ns), null).stream()
        .allMatch(o -> "Completed".equals(Json.str(o, "status", "workflow-status"))));
    assertNoDuplicates(ns, 50, 10);
  }

  @Test
  @DisplayName("every file in examples/ reaches the status its expected-status annotation names")
  void examples() throws Exception {
    String ns = cluster.newNamespace("examples");
    Map<String, String> expected = new HashMap<>();
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("examples"))) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonObject o : exampleDocuments(f, ns)) {
          if (!"Workflow".equals(Json.str(o, "kind"))) {
            continue;
          }
          expected.put(Json.str(o, "metadata", "name"),
              Json.str(o, "metadata", "annotations", "workflow.crd.com/expected-status"));
          wfs.create(o);
        }
      }
    }
    assertTrue(expected.size() >= 4, "examples: " + expected);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertNotNull(e.getValue(), e.getKey() + " has no expected-status annotation");
      within(120).until(() -> wfs.status(ns, e.getKey()).matches("Completed|Failed"));
      assertEquals(e.getValue(), wfs.status(ns, e.getKey()), e.getKey() + ": " + wfs.message(ns, e.getKey()));
    }
  }

  @Test
  @DisplayName("build-test-deploy: its Jobs carry the env, resources, volume and service account given, never more than 2 tests run at once; Completed")
  void podFields() throws Exception {
    String ns = cluster.newNamespace("pods");
    for (JsonObject o : exampleDocuments(java.nio.file.Path.of("examples/build-test-deploy.yaml"), ns)) {
      if ("Workflow".equals(Json.str(o, "kind"))) {
        wfs.create(o);
      }
    }
    within(240).until(() -> wfs.status(ns, "build-test-deploy").matches("Completed|Failed"));
    assertEquals("Completed", wfs.status(ns, "build-test-deploy"), wfs.message(ns, "build-test-deploy"));
    Map<String, JsonObject> jobs = byStep(ns, "build-test-deploy");
    assertEquals(8, jobs.size());
    JsonObject pod = Json.obj(jobs.get("build"), "spec", "template", "spec");
    assertEquals("builder", Json.str(pod, "serviceAccountName"));
    assertEquals("workspace", Json.str(pod.getAsJsonArray("volumes").get(0).getAsJsonObject(), "name"));
    JsonObject build = pod.getAsJsonArray("containers").get(0).getAsJsonObject();
    Map<String, JsonObject> env = new HashMap<>();
    build.getAsJsonArray("env").forEach(e -> env.put(Json.str(e.getAsJsonObject(), "name"), e.getAsJsonObject()));
    assertEquals(Set.of("REGISTRY_TOKEN", "LOG_LEVEL"), env.keySet());
    assertEquals("debug", Json.str(env.get("LOG_LEVEL"), "value"), "the step's env replaces the default by name");
    assertEquals("registry-credentials", Json.str(env.get("REGISTRY_TOKEN"), "valueFrom", "secretKeyRef", "name"));
    assertEquals("build-settings", Json.str(build.getAsJsonArray("envFrom").get(0).getAsJsonObject(), "configMapRef", "name"));
    assertEquals("96Mi", Json.str(build, "resources", "limits", "memory"));
    assertEquals("100m", Json.str(build, "resources", "requests", "cpu"));
    assertEquals("/workspace", Json.str(build.getAsJsonArray("volumeMounts").get(0).getAsJsonObject(), "mountPath"));
    JsonObject unitTest = Json.obj(jobs.get("unit-test"), "spec", "template", "spec")
        .getAsJsonArray("containers").get(0).getAsJsonObject();
    assertEquals("64Mi", Json.str(unitTest, "resources", "limits", "memory"), "stepDefaults' resources");
    // parallelism 2: the four test steps, ready together, never overlap more than two at a time
    List<Instant[]> spans = new ArrayList<>();
    for (String step : List.of("unit-test", "lint", "integration-test", "docs")) {
      spans.add(new Instant[] {Instant.parse(Json.str(jobs.get(step), "status", "startTime")),
          Instant.parse(Json.str(jobs.get(step), "status", "completionTime"))});
    }
    for (Instant[] a : spans) {
      long together = spans.stream().filter(b -> !b[0].isAfter(a[0]) && b[1].isAfter(a[0])).count();
      assertTrue(together <= 2, together + " test steps ran at once");
    }
  }

  @Test
  @DisplayName("a spec that changes only a memory limit restarts the workflow with new Jobs carrying the new limit")
  void memoryLimitChangeRestarts() throws Exception {
    String ns = cluster.newNamespace("memory");
    JsonObject spec = wfs.spec(60, List.of(step("a", "sleep 3"), step("b", "echo b", "a")));
    JsonObject resources = com.google.gson.JsonParser.parseString(
        "{\"limits\": {\"memory\": \"64Mi\"}}").getAsJsonObject();
    spec.getAsJsonArray("containers").get(0).getAsJsonObject().add("resources", resources);
    JsonObject wf = wfs.workflow(ns, "mem", 60, Map.of(), List.of());
    wf.add("spec", spec);
    wfs.create(wf);
    within(60).until(() -> hasJob(ns, "mem", "a"));
    String before = Json.str(byStep(ns, "mem").get("a"), "metadata", "uid");
    JsonObject changed = spec.deepCopy();
    Json.obj(changed.getAsJsonArray("containers").get(0).getAsJsonObject(), "resources", "limits")
        .addProperty("memory", "96Mi");
    wfs.setSpec(ns, "mem", changed);
    within(90).until(statusIs(ns, "mem", "Completed"));
    JsonObject a = byStep(ns, "mem").get("a");
    assertNotEquals(before, Json.str(a, "metadata", "uid"), "a new Job for the new spec");
    assertEquals("96Mi", Json.str(Json.obj(a, "spec", "template", "spec").getAsJsonArray("containers").get(0)
        .getAsJsonObject(), "resources", "limits", "memory"));
    within(30).until(() -> wfs.jobs(ns).size() == 2);
  }

  @Test
  @DisplayName("a queued step holds the workflow Started with the step Queued until its queue admits it, then runs")
  void queuedStep() throws Exception {
    String ns = cluster.newNamespace("queued");
    JsonObject wf = wfs.workflow(ns, "kueued", 5, Map.of(), List.of(step("a", "echo a"), step("b", "echo b", "a")));
    Json.obj(wf, "spec").addProperty("queueName", "test-queue");
    wfs.create(wf);
    within(60).until(() -> hasJob(ns, "kueued", "a") && "Queued".equals(stepState(ns, "kueued", "a")));
    JsonObject a = byStep(ns, "kueued").get("a");
    assertEquals("test-queue", Json.strings(a, "metadata", "labels").get("kueue.x-k8s.io/queue-name"));
    assertEquals(true, Json.at(a, "spec", "suspend").getAsBoolean());
    // Longer than maxStepTimeout (5 s): time in the queue is not running time.
    await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(30))
        .until(() -> "Started".equals(wfs.status(ns, "kueued")) && "Queued".equals(stepState(ns, "kueued", "a")));
    assertFalse(hasJob(ns, "kueued", "b"));
    release(ns, Json.str(a, "metadata", "name"));
    within(60).until(() -> hasJob(ns, "kueued", "b"));
    release(ns, Json.str(byStep(ns, "kueued").get("b"), "metadata", "name"));
    within(60).until(statusIs(ns, "kueued", "Completed"));
  }

  /** What Kueue does on admission: unsuspend the Job. */
  private void release(String ns, String job) throws ApiException {
    JsonObject patch = com.google.gson.JsonParser.parseString("{\"spec\": {\"suspend\": false}}").getAsJsonObject();
    cluster.api().mergePatch(com.crd.workflow.kube.Paths.job(ns, job), patch);
  }

  private String stepState(String ns, String wf, String step) throws ApiException {
    for (JsonObject s : Json.objects(wfs.get(ns, wf), "status", "steps")) {
      if (step.equals(Json.str(s, "name"))) {
        return Json.str(s, "state");
      }
    }
    return null;
  }

  /**
   * The documents of an example, in namespace {@code ns}; every object that is not a Workflow (a
   * Secret, ConfigMap or ServiceAccount its steps use) is created on the way.
   */
  private List<JsonObject> exampleDocuments(java.nio.file.Path f, String ns) throws Exception {
    List<JsonObject> docs = new ArrayList<>();
    for (Object yaml : new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
        new org.yaml.snakeyaml.LoaderOptions())).loadAll(java.nio.file.Files.readString(f))) {
      JsonObject o = new com.google.gson.Gson().toJsonTree(yaml).getAsJsonObject();
      Json.obj(o, "metadata").addProperty("namespace", ns);
      if (!"Workflow".equals(Json.str(o, "kind"))) {
        String plural = Json.str(o, "kind").toLowerCase() + "s";
        cluster.api().create("/api/v1/namespaces/" + ns + "/" + plural, o);
      }
      docs.add(o);
    }
    return docs;
  }

  // ---- helpers ----

  private void assertNoDuplicates(String ns, int workflows, int steps) throws ApiException {
    Map<String, JsonObject> jobs = wfs.jobs(ns);
    Set<String> keys = new HashSet<>();
    for (JsonObject j : jobs.values()) {
      Map<String, String> l = Json.strings(j, "metadata", "labels");
      assertTrue(keys.add(l.get(Names.LABEL_WORKFLOW_UID) + "/" + l.get(Names.LABEL_STEP)),
          "duplicate Job for " + l);
    }
    assertEquals(workflows * steps, jobs.size());
  }

  private Map<String, JsonObject> byStep(String ns, String wf) throws ApiException {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonObject j : wfs.jobsOf(ns, wf)) {
      assertNull(out.put(Workflows.step(j), j), "two Jobs for step " + Workflows.step(j));
    }
    return out;
  }

  private Set<String> stepsWithJobs(String ns, String wf) throws ApiException {
    return byStep(ns, wf).keySet();
  }

  private boolean hasJob(String ns, String wf, String step) throws ApiException {
    return byStep(ns, wf).containsKey(step);
  }

  private boolean succeeded(String ns, String wf, String step) throws ApiException {
    JsonObject j = byStep(ns, wf).get(step);
    return j != null && Json.num(j, 0, "status", "succeeded") >= 1;
  }

  private Map<String, String> uids(String ns, String wf) throws ApiException {
    Map<String, String> out = new HashMap<>();
    byStep(ns, wf).forEach((step, j) -> out.put(step, Json.str(j, "metadata", "uid")));
    return out;
  }

  private static List<String> strings(JsonObject o, String key) {
    List<String> out = new ArrayList<>();
    o.getAsJsonArray(key).forEach(e -> out.add(e.getAsString()));
    return out;
  }
}
