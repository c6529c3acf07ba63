package com.crd.workflow.operator;

import com.crd.workflow.Log;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElectionRecord;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import com.crd.workflow.kube.JsonLeaseLock;
import com.crd.workflow.kube.KubeApi;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Leader election on a Lease. Acting is allowed only while {@link #leading()}; losing the lease
 * flips it at once, and the elector tries again for as long as the process runs.
 */
public final class Leadership implements Runnable {
  private final JsonLeaseLock lock;
  private final Duration leaseDuration;
  private final Consumer<Boolean> onChange;
  private volatile boolean leading;
  private volatile boolean stopped;
  private volatile boolean withoutLease;
  private volatile LeaderElector elector;

  public Leadership(KubeApi api, Settings s, Consumer<Boolean> onChange) {
    this.lock = new JsonLeaseLock(api, s.leaseNamespace(), s.leaseName(), s.identity(),
        this::withoutLease);
    this.leaseDuration = s.leaseDuration();
    this.onChange = onChange;
  }

  public boolean leading() {
    return leading;
  }

  @Override
  public void run() {
    // client-go's ratios (15s/10s/2s): renew well before the lease lapses, retry often. The
    // retry period also bounds each Lease call, so it never drops below a second.
    Duration renew = leaseDuration.multipliedBy(2).dividedBy(3);
    Duration retry = leaseDuration.dividedBy(7).compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1) : leaseDuration.dividedBy(7);
    if (retry.compareTo(renew.dividedBy(2)) > 0) {
      retry = renew.dividedBy(2); // the elector requires renew deadline > retry period
    }
    while (!stopped) {
      LeaderElector current = null;
      try {
        current = new LeaderElector(new LeaderElectionConfig(lock, leaseDuration, renew, retry),
            e -> Log.warn("leader election error", "error", String.valueOf(e)));
        elector = current;
        if (stopped) {
          break; // release() ran meanwhile and could not see this elector
        }
        current.run(() -> set(true), () -> set(false));
      } catch (RuntimeException e) {
        Log.warn("leader election stopped", "error", String.valueOf(e));
      } finally {
        if (current != null && !withoutLease) {
          current.close(); // its worker threads would otherwise outlive it
        }
      }
      set(false);
    }
  }

  /**
   * The server answers 404 for creating the Lease: it does not serve coordination.k8s.io (some
   * emulated or minimal API servers) or the lease namespace does not exist. Waiting forever would
   * leave the operator idle; acting is safe because every action is idempotent (deterministic Job
   * names, resourceVersion-guarded status writes), so run as if leading and say so loudly.
   */
  private void withoutLease() {
    if (!stopped) {
      Log.error("cannot create the leader election Lease (HTTP 404): acting without leader"
          + " election; run a single replica or fix --lease-namespace", "lease", lock.describe());
      stopped = true;
      set(true);
      withoutLease = true;
      LeaderElector e = elector;
      if (e != null) {
        new Thread(e::close, "lease-fallback").start(); // not from the elector's own thread
      }
    }
  }

  private void set(boolean now) {
    if (withoutLease) {
      return; // leading for good: nothing to lose
    }
    if (leading != now) {
      leading = now;
      Log.info(now ? "became leader" : "not leading", "lease", lock.describe(),
          "identity", lock.identity());
      onChange.accept(now);
    }
  }

  /** Stops campaigning and, if this replica held the lease, hands it back so a peer takes over now. */
  public void release() {
    stopped = true;
    boolean held = leading && !withoutLease;
    leading = false;
    LeaderElector e = elector;
    if (e != null) {
      e.close();
    }
    if (!held) {
      return;
    }
    try {
      LeaderElectionRecord r = lock.get();
      if (r != null && lock.identity().equals(r.getHolderIdentity())) {
        // No holder at all: the elector takes a lease with a null holder at once (not "").
        LeaderElectionRecord free = new LeaderElectionRecord();
        free.setLeaseDurationSeconds(1);
        free.setLeaderTransitions(r.getLeaderTransitions());
        lock.update(free);
        Log.info("released lease", "lease", lock.describe());
      }
    } catch (Exception ex) {
      Log.warn("could not release lease; it lapses on its own", "error", String.valueOf(ex));
    }
  }
}
