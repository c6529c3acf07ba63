package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The TTL delete on the wire: its uid precondition keeps a re-created Workflow of the same name. */
class DeletePreconditionTest {
  private final FakeApiServer server = new FakeApiServer().start();

  @AfterEach
  void stop() {
    server.close();
  }

  private String createWorkflow() {
    JsonObject wf = JsonParser.parseString("""
        {"apiVersion": "workflow.crd.com/v1", "kind": "Workflow",
         "metadata": {"name": "wf", "namespace": "ns"},
         "spec": {"containers": [{"stepName": "a", "image": "busybox"}]}}""").getAsJsonObject();
    return Json.str(server.create("workflows", "ns", wf), "metadata", "uid");
  }

  @Test
  @DisplayName("a delete carrying the old uid answers 409 and leaves the re-created Workflow; the right uid deletes it")
  void uidPrecondition() throws Exception {
    KubeApi api = new KubeApi(Config.fromUrl(server.url()), null);
    String old = createWorkflow();
    server.delete("workflows", "ns", "wf");
    String renewed = createWorkflow();
    assertNotEquals(old, renewed);
    ApiException e = assertThrows(ApiException.class, () -> api.delete(Paths.workflow("ns", "wf"), old));
    assertEquals(409, e.getCode());
    assertEquals(renewed, Json.str(server.get("workflows", "ns", "wf"), "metadata", "uid"));
    api.delete(Paths.workflow("ns", "wf"), renewed);
    assertNull(server.get("workflows", "ns", "wf"));
  }
}
