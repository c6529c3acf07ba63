package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.PodStory;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Pods stream into a small PodStory: the spec and all but the Job's label are never kept. */
class PodDecodeTest {
  static String pod(String name, String status) {
    return """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"%s","namespace":"ns","resourceVersion":"9",
           "creationTimestamp":"2026-01-01T00:00:02Z",
           "labels":{"app.kubernetes.io/managed-by":"workflow-operator","batch.kubernetes.io/job-name":"wf-a-1",
                     "job-name":"wf-a-1","controller-uid":"j1","workflow.crd.com/step":"a"},
           "ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"wf-a-1","uid":"j1","controller":true}],
           "managedFields":[{"manager":"kubelet"}]},
         "spec":{"containers":[{"name":"a","image":"busybox","env":[{"name":"BIG","value":"xxxxxxxx"}]}]},
         "status":%s}
        """.formatted(name, status).replace("\n", "");
  }

  static final String OOM = """
      {"phase":"Failed","conditions":[{"type":"Ready","status":"False"}],
       "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}""";
  static final String PULL = """
      {"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ImagePullBackOff",
       "message":"Back-off pulling image \\"nope\\""}}}]}""";
  static final String UNSCHEDULABLE = """
      {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
       "message":"0/3 nodes are available: 3 Insufficient cpu."}]}""";
  static final String EVICTED = """
      {"phase":"Failed","reason":"Evicted","conditions":[{"type":"DisruptionTarget","status":"True",
       "reason":"TerminationByKubelet"}],
       "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"reason":"Error"}}}]}""";
  static final String CREATING = """
      {"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ContainerCreating"}}}]}""";

  static PodStory decode(String status) throws IOException {
    return Decode.event("{\"type\":\"MODIFIED\",\"object\":" + pod("wf-a-1-x7k2p", status) + "}",
        Decode.PODS).object();
  }

  @Test
  @DisplayName("an OOMKilled pod keeps its Job, exit code and reason, and matches the tree conversion")
  void oom() throws IOException {
    PodStory p = decode(OOM);
    assertEquals(new PodStory("ns", "wf-a-1-x7k2p", "wf-a-1", "Failed", null, null, "OOMKilled", 137,
        null, false, Instant.parse("2026-01-01T00:00:02Z")), p);
    assertEquals(p, Convert.pod(JsonParser.parseString(pod("wf-a-1-x7k2p", OOM)).getAsJsonObject()));
    JsonObject kept = Decode.select(new com.google.gson.stream.JsonReader(
        new StringReader(pod("x", OOM))), Decode.POD);
    assertNull(kept.get("spec"), "the pod spec is skipped");
    assertNull(Json.at(kept, "metadata", "managedFields"));
    assertEquals(2, Json.obj(kept, "metadata", "labels").size(), "only the job-name labels");
  }

  @Test
  @DisplayName("waiting, unschedulable, evicted and routine starts read as the user needs them")
  void states() throws IOException {
    assertEquals("ImagePullBackOff: Back-off pulling image \"nope\"", decode(PULL).waiting());
    assertEquals("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.",
        decode(UNSCHEDULABLE).waiting());
    PodStory evicted = decode(EVICTED);
    assertTrue(evicted.disrupted());
    assertEquals(137, evicted.exitCode());
    assertNull(decode(CREATING).waiting(), "ContainerCreating is nothing to act on");
    assertNull(decode("{}").waiting());
    assertNull(decode("{}").exitCode());
  }

  @Test
  @DisplayName("a pod without the job-name label finds its Job through its ownerReference")
  void ownerReference() {
    JsonObject o = JsonParser.parseString(pod("p", "{}")).getAsJsonObject();
    o.getAsJsonObject("metadata").remove("labels");
    assertEquals("wf-a-1", Convert.pod(o).jobName());
  }

  @Test
  @DisplayName("a LIST of pods hands over each item")
  void list() throws IOException {
    String page = "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"5\"},\"items\":["
        + pod("a", OOM) + "," + pod("b", PULL) + "]}";
    List<PodStory> items = new ArrayList<>();
    Decode.list(new StringReader(page), Decode.PODS, items::add, bad -> fail(bad));
    assertEquals(List.of("a", "b"), items.stream().map(PodStory::name).toList());
  }
}
