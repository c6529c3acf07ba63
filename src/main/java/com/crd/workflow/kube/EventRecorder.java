package com.crd.workflow.kube;

import com.crd.workflow.Log;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.Statuses;
import com.crd.workflow.core.WorkflowEvent;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Records core/v1 Events on Workflows. Best effort: a lost Event never fails a tick. */
public final class EventRecorder {
  private final ApiCalls api;
  private final Clock clock;
  private final String instance;

  public EventRecorder(ApiCalls api, Clock clock, String instance) {
    this.api = api;
    this.clock = clock;
    this.instance = instance;
  }

  public void record(String ns, String workflow, String uid, WorkflowEvent e) {
    String now = Statuses.format(clock.instant());
    JsonObject involved = new JsonObject();
    involved.addProperty("apiVersion", Names.GROUP + "/" + Names.VERSION);
    involved.addProperty("kind", Names.KIND);
    involved.addProperty("namespace", ns);
    involved.addProperty("name", workflow);
    involved.addProperty("uid", uid);
    JsonObject meta = new JsonObject();
    // A cut name may end in '.' or '-', which the API server would reject as an Event name.
    String prefix = (workflow.length() > 200 ? workflow.substring(0, 200) : workflow)
        .replaceAll("[^a-z0-9]+$", "");
    meta.addProperty("name", prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    meta.addProperty("namespace", ns);
    JsonObject source = new JsonObject();
    source.addProperty("component", Names.MANAGER);
    JsonObject ev = new JsonObject();
    ev.addProperty("apiVersion", "v1");
    ev.addProperty("kind", "Event");
    ev.add("metadata", meta);
    ev.add("involvedObject", involved);
    ev.addProperty("reason", e.reason());
    ev.addProperty("message", e.message().length() > 1024 ? e.message().substring(0, 1024) : e.message());
    ev.addProperty("type", e.warning() ? "Warning" : "Normal");
    ev.add("source", source);
    ev.addProperty("reportingComponent", Names.MANAGER);
    ev.addProperty("reportingInstance", instance);
    ev.addProperty("firstTimestamp", now);
    ev.addProperty("lastTimestamp", now);
    ev.addProperty("count", 1);
    try {
      api.create(Paths.events(ns), ev);
    } catch (ApiException ex) {
      Log.warn("could not record event", "namespace", ns, "workflow", workflow,
          "reason", e.reason(), "error", ApiCalls.text(ex));
    }
  }
}
