package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Plan;
import com.crd.workflow.fakeapi.FakeApiServer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.Config;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The applier against the in-process API, for cases a scenario cannot time. */
class ApplierTest {
  private FakeApiServer server;
  private KubeApi api;
  private Applier applier;

  @BeforeEach
  void start() throws Exception {
    server = new FakeApiServer().start();
    server.setJobControllerEnabled(false);
    api = new KubeApi(Config.fromUrl(server.url()), null);
    applier = new Applier(api, Clock.systemUTC(), new EventRecorder(api, Clock.systemUTC(), "t"),
        () -> true);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonObject job(String name, String uid) {
    return JsonParser.parseString(("{'apiVersion':'batch/v1','kind':'Job','metadata':{'name':'" + name
        + "','labels':{'app.kubernetes.io/managed-by':'workflow-operator','workflow.crd.com/workflow-uid':'"
        + uid + "'}},'spec':{'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'s',"
        + "'image':'busybox'}]}}}}").replace('\'', '"')).getAsJsonObject();
  }

  @Test
  @DisplayName("an 'orphan' whose workflow appeared after the tick's list is kept; a real orphan goes")
  void orphanCheckedBeforeDelete() throws Exception {
    JsonObject wf = api.create(Paths.workflows("ns"), JsonParser.parseString(
        "{\"apiVersion\":\"workflow.crd.com/v1\",\"kind\":\"Workflow\",\"metadata\":{\"name\":\"late\"},"
            + "\"spec\":{\"containers\":[]}}").getAsJsonObject());
    String uid = Json.str(wf, "metadata", "uid");
    api.create(Paths.jobs("ns"), job("late-a", uid));
    api.create(Paths.jobs("ns"), job("gone-a", "uid-of-a-deleted-workflow"));
    Applier.Result r = applier.apply(List.of(new Plan("(orphans)", null, List.of(
        new DeleteJob("ns", "late-a", "its workflow no longer exists", uid),
        new DeleteJob("ns", "gone-a", "its workflow no longer exists", "uid-of-a-deleted-workflow")))),
        Map.of());
    assertEquals(List.of(), r.errors());
    assertNotNull(server.get("jobs", "ns", "late-a"));
    assertNull(server.get("jobs", "ns", "gone-a"));
  }

  @Test
  @DisplayName("a 429 makes the client stay away for the Retry-After the server asked for")
  void throttled() {
    assertTrue(api.throttledFor().isZero());
    server.failNext("GET", "/workflows", 429);
    assertThrows(ApiException.class, () -> api.list(Paths.workflows(null), null));
    assertTrue(api.throttledFor().toMillis() > 0, "Retry-After honoured");
  }
}
