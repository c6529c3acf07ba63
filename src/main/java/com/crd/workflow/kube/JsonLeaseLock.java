package com.crd.workflow.kube;

import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A coordination.k8s.io/v1 Lease read and written as plain JSON: the typed V1Lease model rejects
 * any field a newer server adds, which would leave the operator unable ever to lead. An update
 * starts from the object last read, so fields this code does not know survive it, and carries
 * that object's resourceVersion, so two candidates can never both win.
 */
public final class JsonLeaseLock {
  /** The Lease's spec as leader election reads it; {@code holder} null means free. */
  public record Record(String holder, int leaseDurationSeconds, Instant acquireTime,
      Instant renewTime, int transitions) {}

  private final KubeApi api;
  private final String namespace;
  private final String name;
  private final AtomicReference<JsonObject> last = new AtomicReference<>();

  public JsonLeaseLock(KubeApi api, String namespace, String name) {
    this.api = api;
    this.namespace = namespace;
    this.name = name;
  }

  private String path() {
    return "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
  }

  /** The Lease now, or null if there is none (404). */
  public Record get() throws ApiException {
    JsonObject lease;
    try {
      lease = api.get(path() + "/" + name);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        last.set(null);
        return null;
      }
      throw e;
    }
    last.set(lease);
    JsonObject spec = Json.obj(lease, "spec");
    if (spec == null) {
      return new Record(null, 0, null, null, 0);
    }
    String holder = Json.str(spec, "holderIdentity");
    // client-go releases a lease by emptying the holder: empty and absent both mean free.
    return new Record(holder == null || holder.isEmpty() ? null : holder,
        (int) Json.num(spec, 0, "leaseDurationSeconds"), Convert.time(Json.str(spec, "acquireTime")),
        Convert.time(Json.str(spec, "renewTime")), (int) Json.num(spec, 0, "leaseTransitions"));
  }

  /** The resourceVersion of the Lease last read or written: changes with every renewal. */
  public String version() {
    JsonObject seen = last.get();
    return seen == null ? null : Json.str(seen, "metadata", "resourceVersion");
  }

  /** Creates the Lease; 409 if another candidate was first, 404 if the server has no Leases here. */
  public void create(Record record) throws ApiException {
    JsonObject lease = new JsonObject();
    lease.addProperty("apiVersion", "coordination.k8s.io/v1");
    lease.addProperty("kind", "Lease");
    JsonObject meta = new JsonObject();
    meta.addProperty("name", name);
    meta.addProperty("namespace", namespace);
    lease.add("metadata", meta);
    lease.add("spec", spec(new JsonObject(), record));
    last.set(api.create(path(), lease));
  }

  /** Replaces the Lease last read; 409 if anyone wrote it since. */
  public void update(Record record) throws ApiException {
    JsonObject seen = last.get();
    if (seen == null) {
      throw new ApiException(409, "lease " + describe() + " was not read before the update");
    }
    JsonObject lease = seen.deepCopy();
    JsonObject spec = Json.obj(lease, "spec");
    lease.add("spec", spec(spec == null ? new JsonObject() : spec, record));
    last.set(api.replace(path() + "/" + name, lease));
  }

  public String describe() {
    return namespace + "/" + name;
  }

  private static JsonObject spec(JsonObject spec, Record r) {
    if (r.holder() != null) {
      spec.addProperty("holderIdentity", r.holder());
    } else {
      spec.remove("holderIdentity");
    }
    spec.addProperty("leaseDurationSeconds", r.leaseDurationSeconds());
    set(spec, "acquireTime", r.acquireTime());
    set(spec, "renewTime", r.renewTime());
    spec.addProperty("leaseTransitions", r.transitions());
    return spec;
  }

  private static void set(JsonObject spec, String key, Instant t) {
    if (t == null) {
      spec.remove(key);
    } else {
      spec.addProperty(key, microTime(t));
    }
  }

  /** Lease times are MicroTime: RFC 3339 with exactly six fractional digits. */
  static String microTime(Instant t) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(t.truncatedTo(ChronoUnit.MICROS));
  }
}
