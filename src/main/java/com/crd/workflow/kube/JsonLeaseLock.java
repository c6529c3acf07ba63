package com.crd.workflow.kube;

import com.crd.workflow.Log;
import com.google.gson.JsonObject;
import io.kubernetes.client.extended.leaderelection.LeaderElectionRecord;
import io.kubernetes.client.extended.leaderelection.Lock;
import io.kubernetes.client.openapi.ApiException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A coordination.k8s.io/v1 Lease lock for client-java-extended's LeaderElector, read and written
 * as plain JSON: the typed V1Lease model rejects any field a newer server adds, which would leave
 * the operator unable ever to lead. Updates carry the resourceVersion last read, so two
 * candidates can never both win.
 */
public final class JsonLeaseLock implements Lock {
  private final KubeApi api;
  private final String namespace;
  private final String name;
  private final String identity;
  private final AtomicReference<JsonObject> last = new AtomicReference<>();
  private final Runnable unavailable;

  /** @param unavailable called when the server does not serve Leases at all */
  public JsonLeaseLock(KubeApi api, String namespace, String name, String identity,
      Runnable unavailable) {
    this.api = api;
    this.unavailable = unavailable;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  private String path() {
    return "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
  }

  @Override
  public LeaderElectionRecord get() throws ApiException {
    JsonObject lease = api.get(path() + "/" + name); // 404 tells the elector to create it
    last.set(lease);
    JsonObject spec = Json.obj(lease, "spec");
    if (spec == null) {
      return new LeaderElectionRecord();
    }
    String holder = Json.str(spec, "holderIdentity");
    // client-go releases a lease by emptying the holder; the elector treats only null as free.
    return new LeaderElectionRecord(holder == null || holder.isEmpty() ? null : holder,
        (int) Json.num(spec, 0, "leaseDurationSeconds"), date(Json.str(spec, "acquireTime")),
        date(Json.str(spec, "renewTime")), (int) Json.num(spec, 0, "leaseTransitions"));
  }

  @Override
  public boolean create(LeaderElectionRecord record) {
    JsonObject lease = new JsonObject();
    lease.addProperty("apiVersion", "coordination.k8s.io/v1");
    lease.addProperty("kind", "Lease");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    meta.addProperty("namespace", namespace);
    lease.add("metadata", meta);
    lease.add("spec", spec(record));
    try {
      last.set(api.create(path(), lease));
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        unavailable.run(); // neither the Lease nor its collection exists on this server
      }
      Log.debug("lease create failed", "lease", describe(), "error", e.getMessage());
      return false;
    }
  }

  @Override
  public boolean update(LeaderElectionRecord record) {
    JsonObject seen = last.get();
    if (seen == null) {
      return false;
    }
    JsonObject lease = seen.deepCopy();
    lease.add("spec", spec(record));
    try {
      last.set(api.replace(path() + "/" + name, lease));
      return true;
    } catch (ApiException e) {
      Log.debug("lease update failed", "lease", describe(), "error", e.getMessage());
      return false;
    }
  }

  @Override
  public String identity() {
    return identity;
  }

  @Override
  public String describe() {
    return namespace + "/" + name;
  }

  private static JsonObject spec(LeaderElectionRecord r) {
    JsonObject spec = new JsonObject();
    if (r.getHolderIdentity() != null) {
      spec.addProperty("holderIdentity", r.getHolderIdentity());
    }
    spec.addProperty("leaseDurationSeconds", r.getLeaseDurationSeconds());
    if (r.getAcquireTime() != null) {
      spec.addProperty("acquireTime", microTime(r.getAcquireTime()));
    }
    if (r.getRenewTime() != null) {
      spec.addProperty("renewTime", microTime(r.getRenewTime()));
    }
    spec.addProperty("leaseTransitions", r.getLeaderTransitions());
    return spec;
  }

  /** Lease times are MicroTime: RFC 3339 with exactly six fractional digits. */
  private static String microTime(Date d) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(d.toInstant().truncatedTo(ChronoUnit.MICROS));
  }

  private static Date date(String s) {
    Instant t = Convert.time(s);
    return t == null ? null : Date.from(t);
  }
}
