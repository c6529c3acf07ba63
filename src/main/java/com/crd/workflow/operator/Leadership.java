package com.crd.workflow.operator;

import com.crd.workflow.Log;
import com.crd.workflow.kube.Json;
import com.crd.workflow.kube.JsonLeaseLock;
import com.crd.workflow.kube.KubeApi;
import io.kubernetes.client.openapi.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Leader election on a Lease, client-go's algorithm on one thread of our own. Acting is allowed
 * only while {@link #leading()}: the last successful renewal started less than the renew
 * deadline (2/3 of the lease) ago, checked on every call, so a leader whose renewals hang stops
 * acting before any peer can take the lease (a peer waits a full lease duration after it last saw
 * the Lease change).
 *
 * <p>Why not client-java-extended's LeaderElector: its single lease worker thread stayed blocked
 * in a Lease call for the client's full read timeout after the elector had given up on that call
 * (each attempt's timeout abandoned the future, not the call), later attempts queued behind it, and
 * its acquire loop polled every 1 to 2.2 retry periods. With a slow server an acting leader lost
 * the lease and its successor could not take it for tens of seconds. Here every Lease call is
 * bounded by the client's call timeout (see {@code Operator}), a candidate tries again exactly when
 * the lease it watches expires, and errors are logged once per distinct cause.
 */
public final class Leadership implements Runnable {
  private final JsonLeaseLock lock;
  private final String identity;
  private final long leaseNanos;
  private final long renewDeadlineNanos;
  /** The record read when {@link #expiresAt} was set: what a lapsed lease is taken over from. */
  private JsonLeaseLock.Record lastSeen;
  private final long retryNanos;
  private final Consumer<Boolean> onChange;
  private final Object wakeup = new Object();
  private final Object calls = new Object(); // a release never races a renewal
  private volatile boolean stopped;
  private volatile boolean holds;
  private volatile long renewedAt; // System.nanoTime() when the last successful renewal started
  private volatile String problem;
  // Only the election thread touches these.
  private String observedVersion;
  private long observedAt;
  private long expiresAt;

  public Leadership(KubeApi api, Settings s, Consumer<Boolean> onChange) {
    this(new JsonLeaseLock(api, s.leaseNamespace(), s.leaseName()), s.identity(),
        s.leaseDuration(), onChange);
  }

  public Leadership(JsonLeaseLock lock, String identity, Duration lease, Consumer<Boolean> onChange) {
    this.lock = lock;
    this.identity = identity;
    this.leaseNanos = lease.toNanos();
    this.renewDeadlineNanos = lease.multipliedBy(2).dividedBy(3).toNanos();
    this.retryNanos = retryPeriod(lease).toNanos();
    this.onChange = onChange;
  }

  /**
   * How often a leader renews and a candidate looks: 1/10 of the lease, at most 2 s. A candidate
   * dates a renewal by when it first saw it, so this is also how late it may take a lapsed lease.
   */
  static Duration retryPeriod(Duration lease) {
    Duration d = lease.dividedBy(10);
    return d.compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : d;
  }

  /** How long one Lease call may take: a third of the lease, so two tries fit the renew deadline. */
  public static Duration callTimeout(Duration lease) {
    return lease.dividedBy(3);
  }

  public boolean leading() {
    return holds && System.nanoTime() - renewedAt < renewDeadlineNanos;
  }

  /** Why this replica cannot take part in the election right now, or null. */
  public String problem() {
    return problem;
  }

  public String identity() {
    return identity;
  }

  @Override
  public void run() {
    while (!stopped) {
      long start = System.nanoTime();
      Boolean won = attempt(start);
      synchronized (calls) {
        if (stopped) {
          break; // released meanwhile: a renewal that returned just now must not undo it
        }
        if (Boolean.TRUE.equals(won)) {
          renewedAt = start;
          set(true, null);
        } else if (holds && Boolean.FALSE.equals(won)) {
          set(false, "another replica holds the lease");
        } else if (holds && start - renewedAt >= renewDeadlineNanos) {
          set(false, "could not renew the lease within " + Duration.ofNanos(renewDeadlineNanos).toMillis() + "ms");
        }
      }
      long next = start + retryNanos;
      if (!holds && expiresAt != 0 && expiresAt - next < 0) {
        next = expiresAt; // take a lapsed lease the moment it lapses, not up to a period later
      }
      pause(next);
    }
  }

  /** True: this replica holds the lease now; false: another does; null: the call failed. */
  private Boolean attempt(long now) {
    synchronized (calls) {
      if (stopped) {
        return null;
      }
      try {
        Boolean won = acquireOrRenew(now);
        report(null);
        return won;
      } catch (ApiException e) {
        if (e.getCode() == 409) {
          report(null); // a peer wrote first: the next read shows who holds it
          return null;
        }
        report(problemOf(e));
        return null;
      }
    }
  }

  private Boolean acquireOrRenew(long now) throws ApiException {
    long waitedFor = expiresAt;
    expiresAt = 0;
    int seconds = (int) Math.max(1, Math.round(leaseNanos / 1e9));
    Instant wall = Instant.now();
    JsonLeaseLock.Record seen = lastSeen;
    lastSeen = null;
    if (waitedFor != 0 && now - waitedFor >= 0 && seen != null) {
      // The lease watched lapsed: take it with the version read then, without another read. If
      // anyone wrote it since, the precondition fails with 409 and the next attempt reads again.
      lock.update(new JsonLeaseLock.Record(identity, seconds, wall, wall, seen.transitions() + 1));
      observedVersion = lock.version();
      observedAt = now;
      return true;
    }
    JsonLeaseLock.Record r = lock.get();
    if (r == null) {
      lock.create(new JsonLeaseLock.Record(identity, seconds, wall, wall, 0));
      observedVersion = lock.version();
      observedAt = now;
      return true;
    }
    if (!Objects.equals(lock.version(), observedVersion)) {
      observedVersion = lock.version();
      observedAt = now; // our own clock: peers' clocks may disagree with ours
    }
    boolean mine = identity.equals(r.holder());
    if (r.holder() != null && !mine) {
      long duration = r.leaseDurationSeconds() > 0 ? r.leaseDurationSeconds() * 1_000_000_000L : leaseNanos;
      if (now - observedAt < duration) {
        expiresAt = observedAt + duration;
        lastSeen = r;
        return false;
      }
    }
    lock.update(new JsonLeaseLock.Record(identity, seconds,
        mine && r.acquireTime() != null ? r.acquireTime() : wall, wall,
        mine ? r.transitions() : r.transitions() + 1));
    observedVersion = lock.version();
    observedAt = now;
    return true;
  }

  private String problemOf(ApiException e) {
    String where = "lease " + lock.describe();
    return switch (e.getCode()) {
      case 404 -> where + ": the server has no Lease API or the namespace does not exist;"
          + " fix --lease-namespace, or run a single replica with --leader-elect=false";
      case 401 -> where + ": the server rejected the credentials (HTTP 401)";
      case 403 -> where + ": not allowed to get, create or update leases (HTTP 403);"
          + " apply the Role in deploy/rbac.yaml";
      default -> where + ": " + (e.getCause() != null ? Log.describe(e.getCause())
          : "HTTP " + e.getCode() + statusMessage(e.getResponseBody()));
    };
  }

  private static String statusMessage(String body) {
    try {
      String m = Json.str(com.google.gson.JsonParser.parseString(body).getAsJsonObject(), "message");
      return m == null ? "" : ": " + m;
    } catch (RuntimeException notAStatus) {
      return body == null || body.isBlank() ? "" : ": " + body.strip();
    }
  }

  /** Logs a cause once when it appears and once when it clears, never per attempt. */
  private void report(String now) {
    if (stopped) {
      return; // a call cut short by the shutdown is no news
    }
    String before = problem;
    if (Objects.equals(before, now)) {
      return;
    }
    problem = now;
    if (now != null) {
      Log.warn("leader election cannot proceed", "reason", now, "identity", identity);
    } else {
      Log.info("leader election working again", "lease", lock.describe());
    }
  }

  private void set(boolean now, String why) {
    if (holds == now) {
      return;
    }
    holds = now;
    if (now) {
      Log.info("became leader", "lease", lock.describe(), "identity", identity);
    } else {
      Log.info("not leading", "lease", lock.describe(), "identity", identity, "reason", why);
    }
    onChange.accept(now);
  }

  private void pause(long untilNanos) {
    synchronized (wakeup) {
      long left;
      while (!stopped && (left = untilNanos - System.nanoTime()) > 0) {
        try {
          wakeup.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops campaigning without a word to the server: what a killed process does. For tests. */
  void halt() {
    stopped = true;
    holds = false;
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
  }

  /** Stops campaigning and, if this replica holds the lease, hands it back so a peer takes over now. */
  public void release() {
    stopped = true;
    synchronized (wakeup) {
      wakeup.notifyAll();
    }
    synchronized (calls) {
      boolean held = holds;
      holds = false;
      if (!held) {
        return;
      }
      try {
        JsonLeaseLock.Record r = lock.get();
        if (r != null && identity.equals(r.holder())) {
          // No holder: a candidate takes it at its next look instead of after the lease.
          lock.update(new JsonLeaseLock.Record(null, 1, r.acquireTime(), r.renewTime(), r.transitions()));
          Log.info("released lease", "lease", lock.describe());
        }
      } catch (ApiException e) {
        Log.write(Log.Level.WARN, null, "could not release lease; it lapses on its own",
            e.getCause() != null ? e.getCause() : e);
      }
    }
  }
}
