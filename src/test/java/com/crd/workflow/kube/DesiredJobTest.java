package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Planner;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each Container and pod field of a Workflow reaches the desired Job exactly: the spec is parsed
 * as the operator parses it, planned, and the Job built as it is sent. One row per field or rule.
 */
class DesiredJobTest {
  private static final String POD = "spec.template.spec.";
  private static final String CONTAINER = POD + "containers[0].";

  /** {@code spec} and {@code step} are JSON object members added to the spec and to step a. */
  record Row(String name, String spec, String step, String path, String expected) {}

  static List<Row> rows() {
    return List.of(
        new Row("args reach the container", "", "\"args\": [\"-v\", \"x\"]", CONTAINER + "args", "[\"-v\", \"x\"]"),
        new Row("env with a value", "", "\"env\": [{\"name\": \"A\", \"value\": \"1\"}]",
            CONTAINER + "env", "[{\"name\": \"A\", \"value\": \"1\"}]"),
        new Row("env from a secretKeyRef", "",
            "\"env\": [{\"name\": \"T\", \"valueFrom\": {\"secretKeyRef\": {\"name\": \"creds\", \"key\": \"token\"}}}]",
            CONTAINER + "env[0].valueFrom", "{\"secretKeyRef\": {\"name\": \"creds\", \"key\": \"token\"}}"),
        new Row("env from a configMapKeyRef", "",
            "\"env\": [{\"name\": \"M\", \"valueFrom\": {\"configMapKeyRef\": {\"name\": \"cfg\", \"key\": \"mode\", \"optional\": true}}}]",
            CONTAINER + "env[0].valueFrom", "{\"configMapKeyRef\": {\"name\": \"cfg\", \"key\": \"mode\", \"optional\": true}}"),
        new Row("env from a fieldRef", "",
            "\"env\": [{\"name\": \"POD\", \"valueFrom\": {\"fieldRef\": {\"fieldPath\": \"metadata.name\"}}}]",
            CONTAINER + "env[0].valueFrom", "{\"fieldRef\": {\"fieldPath\": \"metadata.name\"}}"),
        new Row("env from a resourceFieldRef", "",
            "\"env\": [{\"name\": \"MEM\", \"valueFrom\": {\"resourceFieldRef\": {\"resource\": \"limits.memory\", \"divisor\": \"1Mi\"}}}]",
            CONTAINER + "env[0].valueFrom", "{\"resourceFieldRef\": {\"resource\": \"limits.memory\", \"divisor\": \"1Mi\"}}"),
        new Row("envFrom a ConfigMap and a Secret", "",
            "\"envFrom\": [{\"configMapRef\": {\"name\": \"cfg\"}}, {\"prefix\": \"S_\", \"secretRef\": {\"name\": \"creds\"}}]",
            CONTAINER + "envFrom", "[{\"configMapRef\": {\"name\": \"cfg\"}}, {\"prefix\": \"S_\", \"secretRef\": {\"name\": \"creds\"}}]"),
        new Row("resources, quantities as written (strings and numbers)", "",
            "\"resources\": {\"requests\": {\"cpu\": \"250m\", \"memory\": \"64Mi\"}, \"limits\": {\"cpu\": 1, \"memory\": \"128Mi\"}}",
            CONTAINER + "resources", "{\"requests\": {\"cpu\": \"250m\", \"memory\": \"64Mi\"}, \"limits\": {\"cpu\": 1, \"memory\": \"128Mi\"}}"),
        new Row("volumeMounts", "\"podTemplate\": {\"volumes\": [{\"name\": \"w\", \"emptyDir\": {}}]}",
            "\"volumeMounts\": [{\"name\": \"w\", \"mountPath\": \"/w\", \"readOnly\": true}]",
            CONTAINER + "volumeMounts", "[{\"name\": \"w\", \"mountPath\": \"/w\", \"readOnly\": true}]"),
        new Row("workingDir", "", "\"workingDir\": \"/src\"", CONTAINER + "workingDir", "\"/src\""),
        new Row("imagePullPolicy", "", "\"imagePullPolicy\": \"Always\"", CONTAINER + "imagePullPolicy", "\"Always\""),
        new Row("container securityContext", "",
            "\"securityContext\": {\"runAsUser\": 1000, \"capabilities\": {\"drop\": [\"ALL\"]}}",
            CONTAINER + "securityContext", "{\"runAsUser\": 1000, \"capabilities\": {\"drop\": [\"ALL\"]}}"),
        new Row("stepDefaults env is merged by name: defaults first, the step's value replaces in place, the step's new names follow",
            "\"stepDefaults\": {\"env\": [{\"name\": \"A\", \"value\": \"d\"}, {\"name\": \"B\", \"value\": \"d\"}]}",
            "\"env\": [{\"name\": \"C\", \"value\": \"s\"}, {\"name\": \"A\", \"value\": \"s\"}]",
            CONTAINER + "env", "[{\"name\": \"A\", \"value\": \"s\"}, {\"name\": \"B\", \"value\": \"d\"}, {\"name\": \"C\", \"value\": \"s\"}]"),
        new Row("stepDefaults volumeMounts are merged by mountPath",
            "\"podTemplate\": {\"volumes\": [{\"name\": \"x\", \"emptyDir\": {}}, {\"name\": \"y\", \"emptyDir\": {}}]},"
                + " \"stepDefaults\": {\"volumeMounts\": [{\"name\": \"x\", \"mountPath\": \"/cache\"}, {\"name\": \"x\", \"mountPath\": \"/tmp\"}]}",
            "\"volumeMounts\": [{\"name\": \"y\", \"mountPath\": \"/cache\"}]",
            CONTAINER + "volumeMounts", "[{\"name\": \"y\", \"mountPath\": \"/cache\"}, {\"name\": \"x\", \"mountPath\": \"/tmp\"}]"),
        new Row("stepDefaults resources are replaced whole by the step's",
            "\"stepDefaults\": {\"resources\": {\"requests\": {\"cpu\": \"1\", \"memory\": \"1Gi\"}}}",
            "\"resources\": {\"requests\": {\"memory\": \"2Gi\"}}",
            CONTAINER + "resources", "{\"requests\": {\"memory\": \"2Gi\"}}"),
        new Row("stepDefaults apply to a step that sets nothing",
            "\"stepDefaults\": {\"imagePullPolicy\": \"IfNotPresent\", \"envFrom\": [{\"configMapRef\": {\"name\": \"cfg\"}}],"
                + " \"securityContext\": {\"readOnlyRootFilesystem\": true}}", "",
            CONTAINER + "securityContext", "{\"readOnlyRootFilesystem\": true}"),
        new Row("stepDefaults envFrom is replaced by the step's",
            "\"stepDefaults\": {\"envFrom\": [{\"configMapRef\": {\"name\": \"a\"}}]}",
            "\"envFrom\": [{\"secretRef\": {\"name\": \"b\"}}]",
            CONTAINER + "envFrom", "[{\"secretRef\": {\"name\": \"b\"}}]"),
        new Row("podTemplate serviceAccountName", "\"podTemplate\": {\"serviceAccountName\": \"builder\"}", "",
            POD + "serviceAccountName", "\"builder\""),
        new Row("podTemplate volumes", "\"podTemplate\": {\"volumes\": [{\"name\": \"s\", \"secret\": {\"secretName\": \"creds\"}}]}", "",
            POD + "volumes", "[{\"name\": \"s\", \"secret\": {\"secretName\": \"creds\"}}]"),
        new Row("podTemplate nodeSelector", "\"podTemplate\": {\"nodeSelector\": {\"disk\": \"ssd\"}}", "",
            POD + "nodeSelector", "{\"disk\": \"ssd\"}"),
        new Row("podTemplate tolerations", "\"podTemplate\": {\"tolerations\": [{\"key\": \"gpu\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}]}", "",
            POD + "tolerations", "[{\"key\": \"gpu\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}]"),
        new Row("podTemplate affinity",
            "\"podTemplate\": {\"affinity\": {\"nodeAffinity\": {\"requiredDuringSchedulingIgnoredDuringExecution\": {\"nodeSelectorTerms\":"
                + " [{\"matchExpressions\": [{\"key\": \"zone\", \"operator\": \"In\", \"values\": [\"a\"]}]}]}}}}", "",
            POD + "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values",
            "[\"a\"]"),
        new Row("podTemplate imagePullSecrets", "\"podTemplate\": {\"imagePullSecrets\": [{\"name\": \"registry\"}]}", "",
            POD + "imagePullSecrets", "[{\"name\": \"registry\"}]"),
        new Row("podTemplate securityContext", "\"podTemplate\": {\"securityContext\": {\"fsGroup\": 2000, \"runAsNonRoot\": true}}", "",
            POD + "securityContext", "{\"fsGroup\": 2000, \"runAsNonRoot\": true}"),
        new Row("podTemplate priorityClassName", "\"podTemplate\": {\"priorityClassName\": \"batch-low\"}", "",
            POD + "priorityClassName", "\"batch-low\""),
        new Row("podTemplate runtimeClassName", "\"podTemplate\": {\"runtimeClassName\": \"gvisor\"}", "",
            POD + "runtimeClassName", "\"gvisor\""),
        new Row("podTemplate metadata.annotations reach the pod",
            "\"podTemplate\": {\"metadata\": {\"annotations\": {\"a.io/x\": \"1\"}}}", "",
            "spec.template.metadata.annotations", "{\"a.io/x\": \"1\"}"),
        new Row("podTemplate metadata.labels reach the pod",
            "\"podTemplate\": {\"metadata\": {\"labels\": {\"tier\": \"batch\"}}}", "",
            "spec.template.metadata.labels.tier", "\"batch\""),
        new Row("podTemplate metadata.labels cannot replace the operator's own pod labels",
            "\"podTemplate\": {\"metadata\": {\"labels\": {\"workflow.crd.com/step\": \"other\"}}}", "",
            "spec.template.metadata.labels", "{\"app.kubernetes.io/managed-by\": \"workflow-operator\", \"workflow.crd.com/spec-hash\": \"HASH\","
                + " \"workflow.crd.com/step\": \"a\", \"workflow.crd.com/workflow\": \"wf\", \"workflow.crd.com/workflow-uid\": \"uid-1\"}"),
        new Row("no serviceAccountName: no API token in the pod", "", "",
            POD + "automountServiceAccountToken", "false"),
        new Row("a serviceAccountName: the token is mounted as Kubernetes does by default",
            "\"podTemplate\": {\"serviceAccountName\": \"deployer\"}", "",
            POD + "automountServiceAccountToken", "null"),
        new Row("automountServiceAccountToken set by the workflow wins",
            "\"podTemplate\": {\"automountServiceAccountToken\": true}", "",
            POD + "automountServiceAccountToken", "true"),
        new Row("queueName labels the Job for Kueue", "\"queueName\": \"team-a\"", "",
            "metadata.labels.kueue\\.x-k8s\\.io/queue-name", "\"team-a\""),
        new Row("queueName creates the Job suspended, for Kueue to admit", "\"queueName\": \"team-a\"", "",
            "spec.suspend", "true"),
        new Row("without queueName the Job is not suspended", "", "", "spec.suspend", "null"),
        new Row("a step's own name, image and command are not changed by stepDefaults", "\"stepDefaults\": {\"env\": []}", "",
            CONTAINER + "image", "\"busybox:1.36\""));
  }

  @TestFactory
  Stream<DynamicTest> fieldsReachTheJob() {
    return rows().stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
      JsonObject job = JobSpecs.desiredJobJson(createA(r.spec(), r.step()));
      String expected = r.expected().replace("HASH", job.getAsJsonObject("metadata").getAsJsonObject("labels")
          .get("workflow.crd.com/spec-hash").getAsString());
      assertEquals(JsonParser.parseString(expected), at(job, r.path()), r.path() + " in " + job);
    }));
  }

  /** The CreateJob the planner makes for step a of a workflow with these spec and step members. */
  static CreateJob createA(String specMembers, String stepMembers) throws Exception {
    String json = "{" + (specMembers.isEmpty() ? "" : specMembers + ", ")
        + "\"containers\": [{\"stepName\": \"a\", \"image\": \"busybox:1.36\", \"command\": [\"true\"]"
        + (stepMembers.isEmpty() ? "" : ", " + stepMembers) + "}]}";
    WorkflowSpec spec = Convert.spec(JsonParser.parseString(json));
    Workflow wf = new Workflow("ns", "wf", "uid-1", Map.of(), 1, "1", false, spec, null, null);
    Plan p = Planner.plan(wf, List.of(), Instant.parse("2026-01-01T00:00:00Z"));
    assertEquals(List.of(), com.crd.workflow.core.Validation.problems(spec), json);
    CreateJob c = p.actions().stream().filter(a -> a instanceof CreateJob).map(a -> (CreateJob) a)
        .findFirst().orElse(null);
    assertNotNull(c, "no Job planned for " + json);
    return c;
  }

  /** The element at a dotted path with [i] indexes; a literal dot in a key is written "\.". */
  static JsonElement at(JsonElement root, String path) {
    JsonElement e = root;
    for (String part : path.split("(?<!\\\\)\\.")) {
      String key = part.replace("\\.", ".");
      int index = -1;
      if (key.endsWith("]")) {
        index = Integer.parseInt(key.substring(key.indexOf('[') + 1, key.length() - 1));
        key = key.substring(0, key.indexOf('['));
      }
      if (!(e instanceof JsonObject o) || !o.has(key)) {
        return com.google.gson.JsonNull.INSTANCE;
      }
      e = o.get(key);
      if (index >= 0) {
        e = e.getAsJsonArray().get(index);
      }
    }
    return e;
  }
}
