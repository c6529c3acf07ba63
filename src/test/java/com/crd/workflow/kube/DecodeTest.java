package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.Workflow;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Streaming reads of LIST pages and watch lines into the core's records. */
class DecodeTest {
  private static final String JOB = """
      {"apiVersion":"batch/v1","kind":"Job",
       "metadata":{"name":"wf-a-1","namespace":"ns","resourceVersion":"7",
         "creationTimestamp":"2026-01-01T00:00:00Z",
         "labels":{"app.kubernetes.io/managed-by":"workflow-operator","workflow.crd.com/workflow-uid":"u1",
                   "workflow.crd.com/step":"a","workflow.crd.com/spec-hash":"h"},
         "annotations":{"workflow.crd.com/propagated-labels":"team",
                        "kubectl.kubernetes.io/last-applied-configuration":"{\\"huge\\":true}"},
         "ownerReferences":[{"apiVersion":"workflow.crd.com/v1","kind":"Workflow","name":"wf",
                             "uid":"u1","controller":true}],
         "managedFields":[{"manager":"kube-controller-manager","fieldsV1":{"f:status":{}}}]},
       "spec":{"backoffLimit":1,"template":{"spec":{"containers":[{"name":"a","image":"busybox"}]}}},
       "status":{"startTime":"2026-01-01T00:00:01Z","completionTime":"2026-01-01T00:00:05Z",
         "succeeded":1,
         "conditions":[{"type":"Complete","status":"True","lastTransitionTime":"2026-01-01T00:00:05Z"}]}}
      """;

  @Test
  @DisplayName("a Job streams into the same record the tree conversion gives, template and managedFields skipped")
  void jobMatchesTreeConversion() throws IOException {
    ObservedJob streamed = Decode.event("{\"type\":\"ADDED\",\"object\":" + JOB.replace("\n", "") + "}",
        Decode.JOBS).object();
    ObservedJob tree = Convert.job(JsonParser.parseString(JOB).getAsJsonObject());
    assertEquals(tree, streamed);
    assertEquals(JobPhase.SUCCEEDED, streamed.phase());
    assertEquals("wf", streamed.workflowName());
    assertEquals(List.of("team"), streamed.propagatedLabels());
    JsonObject kept = Decode.select(new com.google.gson.stream.JsonReader(new StringReader(JOB)),
        Decode.JOB);
    assertNull(Json.at(kept, "spec", "template"));
    assertNull(Json.at(kept, "metadata", "managedFields"));
    assertEquals(1, Json.obj(kept, "metadata", "annotations").size());
  }

  @Test
  @DisplayName("a LIST page hands over each item and the list's resourceVersion and continue token")
  void listPage() throws IOException {
    String page = "{\"kind\":\"JobList\",\"metadata\":{\"resourceVersion\":\"42\",\"continue\":\"next\"},"
        + "\"items\":[" + JOB + "," + JOB.replace("wf-a-1", "wf-b-1") + ", 17]}";
    List<ObservedJob> items = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    Decode.ListMeta meta = Decode.list(new StringReader(page), Decode.JOBS, items::add, bad::add);
    assertEquals(new Decode.ListMeta("42", "next"), meta);
    assertEquals(List.of("wf-a-1", "wf-b-1"), items.stream().map(ObservedJob::name).toList());
    assertEquals(1, bad.size(), "the item that is not an object is skipped and reported");
  }

  @Test
  @DisplayName("a Workflow keeps its spec, status and metadata; the last-applied annotation is not kept")
  void workflow() throws IOException {
    String wf = """
        {"type":"MODIFIED","object":{"apiVersion":"workflow.crd.com/v1","kind":"Workflow",
         "metadata":{"name":"wf","namespace":"ns","uid":"u1","generation":3,"resourceVersion":"9",
           "labels":{"team":"a"},"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"x"}},
         "spec":{"maxStepTimeout":30,"containers":[{"stepName":"a","image":"busybox"}]},
         "status":{"workflow-status":"Started"}}}
        """.replace("\n", "");
    Decode.Event<Workflow> ev = Decode.event(wf, Decode.WORKFLOWS);
    assertEquals("MODIFIED", ev.type());
    assertEquals("9", ev.resourceVersion());
    Workflow w = ev.object();
    assertEquals("ns/wf", w.key());
    assertEquals(3, w.generation());
    assertEquals(30, w.spec().maxStepTimeout());
    assertEquals("Started", w.status().phase().name());
  }

  @Test
  @DisplayName("bookmarks and errors carry their resourceVersion or code; anything else is not an event")
  void bookmarksErrorsAndGarbage() throws IOException {
    Decode.Event<ObservedJob> b = Decode.event(
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Job\",\"metadata\":{\"resourceVersion\":\"77\"}}}",
        Decode.JOBS);
    assertEquals("77", b.resourceVersion());
    assertNull(b.object());
    Decode.Event<ObservedJob> e = Decode.event(
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"message\":\"too old\"}}",
        Decode.JOBS);
    assertEquals(410, e.errorCode());
    for (String garbage : List.of("<html>502</html>", "{\"kind\":\"Status\"}", "[1,2]",
        "{\"type\":\"ADDED\"}", "{\"type\":\"WHAT\",\"object\":{}}", "{\"type\":\"ADDED\",\"object\":{")) {
      IOException ex = assertThrows(IOException.class, () -> Decode.event(garbage, Decode.JOBS), garbage);
      assertNotNull(ex.getMessage());
    }
  }

  @Test
  @DisplayName("an object of an odd shape still decodes: odd fields are left to the converter")
  void oddShapes() throws IOException {
    Decode.Event<ObservedJob> ev = Decode.event(
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"x\",\"namespace\":\"n\",\"labels\":7},"
            + "\"spec\":\"oops\",\"status\":[]}}", Decode.JOBS);
    assertEquals("x", ev.object().name());
    assertEquals(JobPhase.RUNNING, ev.object().phase());
  }
}
