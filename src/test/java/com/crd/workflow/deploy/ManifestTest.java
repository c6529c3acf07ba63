package com.crd.workflow.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1HTTPGetAction;
import io.kubernetes.client.openapi.models.V1JSONSchemaProps;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1RoleRef;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import io.kubernetes.client.openapi.models.V1ValidationRule;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.util.ModelMapper;
import io.kubernetes.client.util.Yaml;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.TypeDescription;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks on what gets applied to a cluster: the CRD in {@code crd/}, the kustomize
 * base in {@code deploy/} and the Dockerfile. A cluster would reject or silently weaken most
 * of these mistakes only at apply time (or never, for over-broad RBAC), so they are caught
 * here instead.
 */
@DisplayName("Manifests in crd/ and deploy/, and the Dockerfile")
class ManifestTest {

  private static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
  private static final Path CRD_DIR = ROOT.resolve("crd");
  private static final Path DEPLOY_DIR = ROOT.resolve("deploy");

  private static final String NAMESPACE = "workflow-operator";
  private static final String SERVICE_ACCOUNT = "workflow-operator";
  private static final String APP_NAME_LABEL = "app.kubernetes.io/name";
  private static final String IMAGE = "workflow-operator:dev";
  private static final String JAR = "target/workflow-operator.jar";

  /** Every kind we ship, pinned to its client-java model, so a typo in apiVersion/kind fails. */
  private static final Map<String, Class<?>> TYPED_KINDS =
      Map.ofEntries(
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", V1ClusterRole.class),
          Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", V1ClusterRoleBinding.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class),
          Map.entry(
              "apiextensions.k8s.io/v1/CustomResourceDefinition",
              V1CustomResourceDefinition.class));

  /**
   * Group/kind pairs that client-java has no model for but that we knowingly ship: our own
   * Workflow (any version, for examples) and the Prometheus Operator's kinds (for
   * deploy/monitoring). Anything else that is not in {@link #TYPED_KINDS} is a mistake.
   */
  private static final Set<String> UNTYPED_GROUP_KINDS =
      Set.of(
          "workflow.crd.com/Workflow",
          "monitoring.coreos.com/ServiceMonitor",
          "monitoring.coreos.com/PodMonitor",
          "monitoring.coreos.com/PrometheusRule");

  // ---------------------------------------------------------------------------------------
  // Parsing

  @Test
  @DisplayName("every YAML document in crd/ and deploy/ parses into the client-java model for its kind")
  void everyDocumentParsesIntoItsTypedModel() throws IOException {
    List<Path> files = manifestFiles();
    assertTrue(
        files.stream().anyMatch(f -> f.startsWith(DEPLOY_DIR)), "no manifests found in " + DEPLOY_DIR);

    List<Executable> checks = new ArrayList<>();
    for (Path file : files) {
      checks.add(
          () -> {
            List<Manifest> docs = load(file);
            assertFalse(docs.isEmpty(), ROOT.relativize(file) + " holds no YAML document");
            for (Manifest doc : docs) {
              Class<?> expected = TYPED_KINDS.get(doc.gvk());
              if (expected != null) {
                assertInstanceOf(expected, doc.object(), doc.where());
              } else {
                assertTrue(
                    UNTYPED_GROUP_KINDS.contains(doc.groupKind()),
                    doc.where() + ": unknown kind; if intended, add it to TYPED_KINDS or UNTYPED_GROUP_KINDS");
              }
            }
          });
    }
    assertAll(checks);
  }

  // ---------------------------------------------------------------------------------------
  // RBAC

  // Which verbs: RbacUsageTest derives them from the requests the operator made in the scenarios.

  @Test
  @DisplayName("the ClusterRole is not aggregated: it cannot grow without review")
  void clusterRoleIsNotAggregated() throws IOException {
    V1ClusterRole role = only(V1ClusterRole.class, "workflow-operator");
    assertNull(role.getAggregationRule(), "an aggregated ClusterRole can grow without review");
  }

  @Test
  @DisplayName("the leader-election Role grants only Lease access, and only in the operator namespace")
  void leaderElectionRoleIsNamespacedToLeases() throws IOException {
    List<V1Role> roles = deployObjects(V1Role.class);
    assertEquals(1, roles.size(), "expected exactly one Role (leader election)");
    V1Role role = roles.get(0);
    assertEquals(NAMESPACE, role.getMetadata().getNamespace());
    assertTrue(grantsOf(role.getRules()).stream()
        .allMatch(g -> g.apiGroup().equals("coordination.k8s.io") && g.resource().equals("leases")),
        "the Role grants Leases only: " + grantsOf(role.getRules()));
  }

  @Test
  @DisplayName("no role uses wildcards or non-resource URLs, touches Secrets, or writes Pods")
  void noRoleIsOverBroad() throws IOException {
    List<V1PolicyRule> rules = new ArrayList<>();
    deployObjects(V1ClusterRole.class).forEach(r -> rules.addAll(nonNull(r.getRules())));
    deployObjects(V1Role.class).forEach(r -> rules.addAll(nonNull(r.getRules())));
    assertFalse(rules.isEmpty(), "no RBAC rules found");

    List<Executable> checks = new ArrayList<>();
    for (V1PolicyRule rule : rules) {
      checks.add(() -> assertTrue(nonNull(rule.getNonResourceURLs()).isEmpty(), "nonResourceURLs: " + rule));
      for (Grant g : grantsOf(List.of(rule))) {
        checks.add(() -> assertFalse(g.toString().contains("*"), "wildcard in " + g));
        checks.add(
            () ->
                assertFalse(
                    g.resource().equals("secrets") || (g.resource().startsWith("pods")
                        && !Set.of("get", "list", "watch").contains(g.verb())),
                    "the operator runs Pods through Jobs and needs no Secrets: " + g));
      }
    }
    assertAll(checks);
  }

  @Test
  @DisplayName("both bindings bind their role to the operator's ServiceAccount, which exists")
  void bindingsBindTheOperatorServiceAccount() throws IOException {
    V1ServiceAccount account = only(V1ServiceAccount.class, SERVICE_ACCOUNT);
    assertEquals(NAMESPACE, account.getMetadata().getNamespace());

    List<V1ClusterRoleBinding> clusterBindings = deployObjects(V1ClusterRoleBinding.class);
    List<V1RoleBinding> bindings = deployObjects(V1RoleBinding.class);
    assertEquals(1, clusterBindings.size(), "expected exactly one ClusterRoleBinding");
    assertEquals(1, bindings.size(), "expected exactly one RoleBinding");

    V1ClusterRoleBinding clusterBinding = clusterBindings.get(0);
    V1RoleBinding binding = bindings.get(0);
    V1Role leaseRole = deployObjects(V1Role.class).get(0);
    assertAll(
        () -> assertRoleRef(clusterBinding.getRoleRef(), "ClusterRole", "workflow-operator"),
        () -> assertOnlyOperatorAccount(clusterBinding.getSubjects()),
        () -> assertEquals(NAMESPACE, binding.getMetadata().getNamespace()),
        () -> assertRoleRef(binding.getRoleRef(), "Role", leaseRole.getMetadata().getName()),
        () -> assertOnlyOperatorAccount(binding.getSubjects()));
  }

  // ---------------------------------------------------------------------------------------
  // Namespace, Deployment, Service

  @Test
  @DisplayName("the operator namespace enforces Pod Security 'restricted'")
  void namespaceEnforcesRestricted() throws IOException {
    V1Namespace ns = only(V1Namespace.class, NAMESPACE);
    assertEquals(
        "restricted",
        nonNull(ns.getMetadata().getLabels()).get("pod-security.kubernetes.io/enforce"));
  }

  @Test
  @DisplayName("the Deployment runs workflow-operator:dev as the bound ServiceAccount")
  void deploymentRunsTheImageAsTheBoundAccount() throws IOException {
    V1Deployment deployment = only(V1Deployment.class, "workflow-operator");
    V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    V1Container c = operatorContainer(pod);
    String boundAccount = deployObjects(V1ClusterRoleBinding.class).get(0).getSubjects().get(0).getName();
    assertAll(
        () -> assertEquals(NAMESPACE, deployment.getMetadata().getNamespace()),
        () -> assertEquals(boundAccount, pod.getServiceAccountName()),
        () -> assertEquals(Boolean.TRUE, pod.getAutomountServiceAccountToken(), "the operator needs its API token"),
        () -> assertEquals(IMAGE, c.getImage()),
        // Kind loads the image into the node; "Always" would try a registry and fail.
        () -> assertEquals("IfNotPresent", c.getImagePullPolicy()),
        () -> assertEquals(30L, pod.getTerminationGracePeriodSeconds()),
        () ->
            assertEquals(
                deployment.getSpec().getSelector().getMatchLabels().get(APP_NAME_LABEL),
                deployment.getSpec().getTemplate().getMetadata().getLabels().get(APP_NAME_LABEL),
                "the selector must match the pod template"));
  }

  @Test
  @DisplayName("the Deployment meets Pod Security 'restricted' in every container")
  void deploymentMeetsPodSecurityRestricted() throws IOException {
    V1PodSpec pod = only(V1Deployment.class, "workflow-operator").getSpec().getTemplate().getSpec();
    V1PodSecurityContext psc = pod.getSecurityContext();
    assertNotNull(psc, "pod securityContext");

    List<Executable> checks = new ArrayList<>();
    checks.add(() -> assertEquals(Boolean.TRUE, psc.getRunAsNonRoot(), "pod runAsNonRoot"));
    checks.add(() -> assertEquals(65532L, psc.getRunAsUser(), "pod runAsUser"));
    checks.add(() -> assertEquals(65532L, psc.getRunAsGroup(), "pod runAsGroup"));
    checks.add(() -> assertEquals(65532L, psc.getFsGroup(), "pod fsGroup"));
    checks.add(
        () ->
            assertEquals(
                "RuntimeDefault",
                psc.getSeccompProfile() == null ? null : psc.getSeccompProfile().getType(),
                "pod seccompProfile"));
    checks.add(() -> assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()), "hostNetwork"));
    checks.add(() -> assertFalse(Boolean.TRUE.equals(pod.getHostPID()), "hostPID"));
    checks.add(() -> assertFalse(Boolean.TRUE.equals(pod.getHostIPC()), "hostIPC"));
    for (V1Volume v : nonNull(pod.getVolumes())) {
      checks.add(() -> assertNull(v.getHostPath(), "hostPath volume " + v.getName()));
    }

    List<V1Container> containers = new ArrayList<>(nonNull(pod.getContainers()));
    containers.addAll(nonNull(pod.getInitContainers()));
    for (V1Container c : containers) {
      V1SecurityContext sc = c.getSecurityContext();
      String who = "container " + c.getName() + ": ";
      checks.add(
          () -> {
            assertNotNull(sc, who + "securityContext");
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), who + "allowPrivilegeEscalation");
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), who + "readOnlyRootFilesystem");
            assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), who + "runAsNonRoot");
            assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), who + "privileged");
            assertTrue(sc.getRunAsUser() == null || sc.getRunAsUser() != 0L, who + "runAsUser 0");
            assertNotNull(sc.getCapabilities(), who + "capabilities");
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), who + "capabilities.drop");
            assertTrue(nonNull(sc.getCapabilities().getAdd()).isEmpty(), who + "capabilities.add");
          });
      // A read-only root filesystem breaks the JVM unless /tmp is writable.
      checks.add(() -> assertTmpIsAnEmptyDir(pod, c));
    }
    assertAll(checks);
  }

  @Test
  @DisplayName("the Deployment probes /healthz and /readyz on the metrics port and requests resources")
  void deploymentHasProbesAndResources() throws IOException {
    V1Container c = operatorContainer(only(V1Deployment.class, "workflow-operator").getSpec().getTemplate().getSpec());
    V1ContainerPort metrics =
        nonNull(c.getPorts()).stream()
            .filter(p -> "metrics".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no container port named metrics"));

    assertAll(
        () -> assertEquals(8080, metrics.getContainerPort()),
        () -> assertHttpProbe(c.getLivenessProbe(), "/healthz", metrics, "livenessProbe"),
        () -> assertHttpProbe(c.getReadinessProbe(), "/readyz", metrics, "readinessProbe"),
        () -> {
          assertNotNull(c.getResources(), "resources");
          Map<String, Quantity> requests = nonNull(c.getResources().getRequests());
          Map<String, Quantity> limits = nonNull(c.getResources().getLimits());
          assertQuantity("50m", requests.get("cpu"), "requests.cpu");
          assertQuantity("192Mi", requests.get("memory"), "requests.memory");
          assertQuantity("384Mi", limits.get("memory"), "limits.memory");
        },
        () -> {
          Map<String, V1EnvVar> env =
              nonNull(c.getEnv()).stream().collect(Collectors.toMap(V1EnvVar::getName, e -> e));
          assertFieldRef(env.get("POD_NAME"), "metadata.name");
          assertFieldRef(env.get("POD_NAMESPACE"), "metadata.namespace");
          assertEquals("json", env.get("LOG_FORMAT") == null ? null : env.get("LOG_FORMAT").getValue());
          // The JVM would print a notice about this variable on stderr, breaking JSON logs; the
          // Dockerfile's ENTRYPOINT carries the JVM flags instead.
          assertNull(env.get("JAVA_TOOL_OPTIONS"), "JVM flags belong in the image's ENTRYPOINT");
        });
  }

  @Test
  @DisplayName("the metrics Service selects the operator pod and targets its metrics port")
  void metricsServiceSelectsThePod() throws IOException {
    V1Service service = only(V1Service.class, "workflow-operator-metrics");
    V1Deployment deployment = only(V1Deployment.class, "workflow-operator");
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    V1ServicePort port =
        nonNull(service.getSpec().getPorts()).stream()
            .filter(p -> "metrics".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Service port named metrics"));
    assertAll(
        () -> assertEquals(NAMESPACE, service.getMetadata().getNamespace()),
        () -> assertEquals(8080, port.getPort()),
        () -> assertFalse(nonNull(service.getSpec().getSelector()).isEmpty(), "empty selector"),
        () ->
            assertTrue(
                podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "selector " + service.getSpec().getSelector() + " does not match pod labels " + podLabels),
        () ->
            assertTrue(
                port.getTargetPort() == null
                    || new IntOrString("metrics").equals(port.getTargetPort())
                    || new IntOrString(8080).equals(port.getTargetPort()),
                "targetPort " + port.getTargetPort()));
  }

  // ---------------------------------------------------------------------------------------
  // CRD: RBAC above names its group, plural and status subresource, so they must agree.

  @Test
  @DisplayName("crd/ defines workflows.workflow.crd.com with the status subresource the RBAC grants")
  void crdMatchesWhatRbacGrants() throws IOException {
    List<V1CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : filesUnder(CRD_DIR)) {
      for (Manifest m : load(file)) {
        if (m.object() instanceof V1CustomResourceDefinition crd) {
          crds.add(crd);
        }
      }
    }
    V1CustomResourceDefinition crd =
        crds.stream()
            .filter(c -> "workflows.workflow.crd.com".equals(c.getMetadata().getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no CRD workflows.workflow.crd.com under " + CRD_DIR));
    List<V1CustomResourceDefinitionVersion> versions = nonNull(crd.getSpec().getVersions());
    assertAll(
        () -> assertEquals("workflow.crd.com", crd.getSpec().getGroup()),
        () -> assertEquals("Workflow", crd.getSpec().getNames().getKind()),
        () -> assertEquals("workflows", crd.getSpec().getNames().getPlural()),
        () -> assertEquals(1, versions.stream().filter(v -> Boolean.TRUE.equals(v.getStorage())).count(), "storage versions"),
        () ->
            assertTrue(
                versions.stream()
                    .filter(v -> Boolean.TRUE.equals(v.getServed()))
                    .allMatch(v -> v.getSubresources() != null && v.getSubresources().getStatus() != null),
                "every served version needs the status subresource that workflows/status grants"));
  }

  // ---------------------------------------------------------------------------------------
  // kustomize

  @Test
  @DisplayName("each kustomization lists every YAML file beside it, and every listed resource exists")
  void kustomizationListsEveryManifest() throws IOException {
    Path main = DEPLOY_DIR.resolve("kustomization.yaml");
    assertTrue(Files.isRegularFile(main), "missing " + main);

    List<Path> kustomizations;
    try (Stream<Path> s = Files.walk(DEPLOY_DIR)) {
      kustomizations = s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
    }
    List<Executable> checks = new ArrayList<>();
    for (Path k : kustomizations) {
      Path dir = k.getParent();
      Map<String, Object> doc = readPlainYaml(k);
      List<String> resources = stringList(doc.get("resources"));
      Set<String> besides;
      try (Stream<Path> s = Files.list(dir)) {
        besides =
            s.filter(ManifestTest::isYaml)
                .filter(p -> !p.equals(k))
                .map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
      }
      checks.add(
          () -> {
            Set<String> missing = new TreeSet<>(besides);
            missing.removeAll(resources);
            assertTrue(missing.isEmpty(), ROOT.relativize(k) + " does not list " + missing);
          });
      for (String r : resources) {
        // kustomize's load restrictor rejects files outside the kustomization's folder.
        checks.add(() -> assertFalse(r.startsWith("../"), ROOT.relativize(k) + " reaches outside its folder: " + r));
        checks.add(() -> assertTrue(Files.exists(dir.resolve(r)), ROOT.relativize(k) + " lists missing " + r));
      }
    }
    assertAll(checks);
  }

  @Test
  @DisplayName("the kustomization stamps the common app.kubernetes.io labels on everything")
  void kustomizationAddsCommonLabels() throws IOException {
    Map<String, Object> doc = readPlainYaml(DEPLOY_DIR.resolve("kustomization.yaml"));
    Map<String, Object> labels = new HashMap<>();
    if (doc.get("commonLabels") instanceof Map<?, ?> m) {
      m.forEach((key, value) -> labels.put(String.valueOf(key), value));
    }
    if (doc.get("labels") instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> e && e.get("pairs") instanceof Map<?, ?> pairs) {
          pairs.forEach((key, value) -> labels.put(String.valueOf(key), value));
        }
      }
    }
    assertEquals("workflow-operator", labels.get("app.kubernetes.io/name"));
    assertEquals("workflow-operator", labels.get("app.kubernetes.io/part-of"));
  }

  // ---------------------------------------------------------------------------------------
  // Dockerfile

  @Test
  @DisplayName("the Dockerfile copies the shaded jar, runs it, and switches to a non-root USER")
  void dockerfileRunsTheJarAsNonRoot() throws IOException {
    List<String[]> instructions = dockerInstructions(ROOT.resolve("Dockerfile"));
    List<String> users =
        instructions.stream().filter(i -> i[0].equals("USER")).map(i -> i[1].trim()).toList();
    assertFalse(users.isEmpty(), "no USER instruction: the image would run as root");
    // Only the last USER counts; numeric so kubelet can check runAsNonRoot without /etc/passwd.
    String user = users.get(users.size() - 1).split(":")[0];
    assertTrue(user.matches("\\d+") && !user.equals("0"), "USER must be a non-zero numeric uid, was " + user);

    String copy =
        instructions.stream()
            .filter(i -> i[0].equals("COPY") || i[0].equals("ADD"))
            .map(i -> i[1].trim())
            .filter(args -> args.contains(JAR))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Dockerfile does not COPY " + JAR));
    String[] parts = copy.split("\\s+");
    String dest = parts[parts.length - 1];
    String entrypoint =
        instructions.stream().filter(i -> i[0].equals("ENTRYPOINT")).map(i -> i[1]).reduce((a, b) -> b).orElse("");
    assertTrue(entrypoint.contains(dest), "ENTRYPOINT " + entrypoint + " does not run " + dest);
    // Without these the heap ignores the container limit and the pod is OOM-killed instead.
    assertTrue(entrypoint.contains("-XX:MaxRAMPercentage="), "ENTRYPOINT: " + entrypoint);
    assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"), "ENTRYPOINT: " + entrypoint);
    // Without a command the jar prints its usage and exits 2: the pod would crash-loop.
    String cmd = instructions.stream().filter(i -> i[0].equals("CMD")).map(i -> i[1]).reduce((a, b) -> b).orElse("");
    assertEquals("[\"run\"]", cmd.replace(" ", ""), "CMD");

    // The jar would be missing from the build context if .dockerignore excluded it.
    Path ignore = ROOT.resolve(".dockerignore");
    if (Files.exists(ignore)) {
      List<String> lines = Files.readAllLines(ignore).stream().map(String::trim).toList();
      assertTrue(
          !lines.contains("*") || lines.contains("!" + JAR),
          ".dockerignore excludes everything but does not re-include " + JAR);
    }
  }

  // =======================================================================================
  // Loading

  /** One YAML document, typed by its apiVersion/kind. */
  record Manifest(Path file, int index, String gvk, Object object) {
    /** "group/kind", the version dropped: apiVersion "workflow.crd.com/v1" gives "workflow.crd.com/Workflow". */
    String groupKind() {
      int kindStart = gvk.lastIndexOf('/');
      int versionStart = gvk.lastIndexOf('/', kindStart - 1);
      return (versionStart < 0 ? "" : gvk.substring(0, versionStart)) + gvk.substring(kindStart);
    }

    String where() {
      return ROOT.relativize(file) + " document " + index + " (" + gvk + ")";
    }
  }

  /** (apiGroup, resource, verb): the unit RBAC actually grants, so rule layout does not matter. */
  record Grant(String apiGroup, String resource, String verb) {}

  /**
   * Schema keys client-java's YAML loader knows only under their Java names. Its built-in list
   * (client-java 27) lacks {@code x-kubernetes-validations}, so a CRD with CEL rules fails to
   * load through {@link Yaml#loadAll}; we register the full list ourselves.
   */
  private static final TypeDescription SCHEMA_PROPS = schemaPropsDescription();

  private static TypeDescription schemaPropsDescription() {
    TypeDescription d =
        Yaml.newGsonCompatibleTypeDescription(
            V1JSONSchemaProps.class,
            "x-kubernetes-embedded-resource",
            "x-kubernetes-int-or-string",
            "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type",
            "x-kubernetes-map-type",
            "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-validations");
    // Without this the rules would load as plain maps, not V1ValidationRule.
    d.addPropertyParameters("x-kubernetes-validations", V1ValidationRule.class);
    return d;
  }

  /**
   * Does what {@link Yaml#loadAll} does (ModelMapper picks the class for each document's
   * apiVersion/kind, then snakeyaml builds that model strictly, rejecting unknown fields), with
   * the schema-key fix above. Kinds ModelMapper does not know come back as
   * DynamicKubernetesObject, which the parse test then treats as unknown unless allow-listed.
   */
  private static List<Manifest> load(Path file) throws IOException {
    List<Manifest> out = new ArrayList<>();
    int index = 0;
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object raw : plainYaml().loadAll(reader)) {
        index++;
        if (raw == null) {
          continue; // an empty document, e.g. after a trailing "---"
        }
        if (!(raw instanceof Map<?, ?> map)) {
          throw new AssertionError(ROOT.relativize(file) + " document " + index + " is not a mapping");
        }
        String apiVersion = Objects.toString(map.get("apiVersion"), "");
        String kind = Objects.toString(map.get("kind"), "");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
          throw new AssertionError(ROOT.relativize(file) + " document " + index + " lacks apiVersion or kind");
        }
        String gvk = apiVersion + "/" + kind;
        Class<?> type = ModelMapper.getApiTypeClass(apiVersion, kind);
        Object object;
        if (type == null || type == DynamicKubernetesObject.class) {
          object = new DynamicKubernetesObject(new Gson().toJsonTree(map).getAsJsonObject());
        } else {
          String text = plainYaml().dump(map);
          try {
            object = Yaml.getSnakeYaml(type, SCHEMA_PROPS).loadAs(text, type);
          } catch (RuntimeException e) {
            throw new AssertionError(
                ROOT.relativize(file) + " document " + index + " (" + gvk + ") does not fit "
                    + type.getSimpleName() + ": " + rootCause(e), e);
          }
        }
        out.add(new Manifest(file, index, gvk, object));
      }
    }
    return out;
  }

  private static List<Path> manifestFiles() throws IOException {
    List<Path> files = new ArrayList<>(filesUnder(CRD_DIR));
    files.addAll(filesUnder(DEPLOY_DIR));
    // kustomization.yaml is kustomize's build input, not an API object; tested on its own.
    files.removeIf(p -> p.getFileName().toString().startsWith("kustomization."));
    return files;
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(ManifestTest::isYaml).sorted().toList();
    }
  }

  private static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }

  private static List<Manifest> deployManifests() throws IOException {
    List<Manifest> all = new ArrayList<>();
    for (Path f : manifestFiles()) {
      if (f.startsWith(DEPLOY_DIR)) {
        all.addAll(load(f));
      }
    }
    return all;
  }

  private static <T> List<T> deployObjects(Class<T> type) throws IOException {
    return deployManifests().stream().map(Manifest::object).filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends KubernetesObject> T only(Class<T> type, String name) throws IOException {
    List<T> matches =
        deployObjects(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
    assertEquals(1, matches.size(), "expected exactly one " + type.getSimpleName() + " named " + name);
    return matches.get(0);
  }

  private static org.yaml.snakeyaml.Yaml plainYaml() {
    return new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readPlainYaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object doc = plainYaml().load(reader);
      assertInstanceOf(Map.class, doc, file + " is not a YAML mapping");
      return (Map<String, Object>) doc;
    }
  }

  /** Dockerfile instructions as {KEYWORD, arguments}, with comments and line continuations folded. */
  private static List<String[]> dockerInstructions(Path dockerfile) throws IOException {
    assertTrue(Files.isRegularFile(dockerfile), "missing " + dockerfile);
    List<String[]> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      Matcher m = Pattern.compile("^(\\w+)\\s+(.*)$", Pattern.DOTALL).matcher(current.toString());
      if (m.matches()) {
        out.add(new String[] {m.group(1).toUpperCase(), m.group(2)});
      }
      current.setLength(0);
    }
    return out;
  }

  // =======================================================================================
  // Small assertions and helpers

  private static void assertRoleRef(V1RoleRef ref, String kind, String name) {
    assertEquals("rbac.authorization.k8s.io", ref.getApiGroup());
    assertEquals(kind, ref.getKind());
    assertEquals(name, ref.getName());
  }

  private static void assertOnlyOperatorAccount(List<RbacV1Subject> subjects) {
    assertEquals(1, nonNull(subjects).size(), "subjects: " + subjects);
    RbacV1Subject s = subjects.get(0);
    assertEquals("ServiceAccount", s.getKind());
    assertEquals(SERVICE_ACCOUNT, s.getName());
    assertEquals(NAMESPACE, s.getNamespace());
  }

  private static void assertHttpProbe(V1Probe probe, String path, V1ContainerPort port, String what) {
    assertNotNull(probe, what);
    V1HTTPGetAction get = probe.getHttpGet();
    assertNotNull(get, what + " must be an httpGet probe");
    assertEquals(path, get.getPath(), what + " path");
    assertTrue(
        new IntOrString(port.getName()).equals(get.getPort())
            || new IntOrString(port.getContainerPort()).equals(get.getPort()),
        what + " port " + get.getPort() + " is not the metrics port");
  }

  private static void assertQuantity(String expected, Quantity actual, String what) {
    assertNotNull(actual, what);
    BigDecimal want = Quantity.fromString(expected).getNumber();
    assertEquals(0, want.compareTo(actual.getNumber()), what + " is " + actual.toSuffixedString());
  }

  private static void assertFieldRef(V1EnvVar env, String fieldPath) {
    assertNotNull(env, "env for " + fieldPath);
    assertNotNull(env.getValueFrom(), env.getName() + " must come from the downward API");
    assertNotNull(env.getValueFrom().getFieldRef(), env.getName() + " must be a fieldRef");
    assertEquals(fieldPath, env.getValueFrom().getFieldRef().getFieldPath());
  }

  private static void assertTmpIsAnEmptyDir(V1PodSpec pod, V1Container c) {
    V1VolumeMount tmp =
        nonNull(c.getVolumeMounts()).stream()
            .filter(m -> "/tmp".equals(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no /tmp mount"));
    Predicate<V1Volume> named = v -> v.getName().equals(tmp.getName());
    V1Volume volume =
        nonNull(pod.getVolumes()).stream()
            .filter(named)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume " + tmp.getName()));
    assertNotNull(volume.getEmptyDir(), "/tmp must be an emptyDir");
  }

  private static V1Container operatorContainer(V1PodSpec pod) {
    List<V1Container> containers =
        nonNull(pod.getContainers()).stream().filter(c -> IMAGE.equals(c.getImage())).toList();
    if (containers.size() != 1) {
      fail("expected exactly one container running " + IMAGE + ", found " + containers.size());
    }
    return containers.get(0);
  }

  private static Set<Grant> grantsOf(List<V1PolicyRule> rules) {
    Set<Grant> out = grantSet();
    for (V1PolicyRule r : nonNull(rules)) {
      for (String g : nonNull(r.getApiGroups())) {
        for (String res : nonNull(r.getResources())) {
          for (String v : nonNull(r.getVerbs())) {
            out.add(new Grant(g, res, v));
          }
        }
      }
    }
    return out;
  }

  /** Sorted, so a failing comparison prints a readable diff. */
  private static Set<Grant> grantSet() {
    return new TreeSet<>(Comparator.comparing(Grant::toString));
  }

  private static List<String> stringList(Object value) {
    if (value == null) {
      return List.of();
    }
    assertInstanceOf(List.class, value, "expected a list, got " + value);
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  private static String rootCause(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
