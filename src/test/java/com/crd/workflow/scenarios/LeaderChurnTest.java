package com.crd.workflow.scenarios;

import static com.crd.workflow.scenarios.Workflows.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.fakeapi.FakeApiServer;
import com.crd.workflow.kube.Json;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Leadership under churn, with real operator processes killed by SIGKILL: how long the cluster
 * goes without an acting leader, measured as the time from a kill to the first rise of a live
 * replica's ticks_total (standbys never tick; the 1 s tick period makes an acting leader tick at
 * least that often, so a second without a tick is a second without an acting leader, as the soak
 * counts them).
 */
class LeaderChurnTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration SURVIVOR_UP = Duration.ofSeconds(3);
  private InProcessCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Workflows start() throws Exception {
    cluster = new InProcessCluster(List.of("--tick-period", "1s", "--lease-namespace", "default",
        "--lease-duration", LEASE.toSeconds() + "s"));
    return new Workflows(cluster.api(), cluster.image());
  }

  private JsonObject longChain(Workflows wfs, String ns, int steps) {
    List<Workflows.StepDef> list = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      list.add(i == 1 ? step("s1", "sleep 1") : step("s" + i, "sleep 1", "s" + (i - 1)));
    }
    return wfs.workflow(ns, "chain", 60, Map.of(), list);
  }

  private String holder() {
    JsonObject lease = cluster.server().get("leases", "default", "workflow-operator");
    String h = lease == null ? null : Json.str(lease, "spec", "holderIdentity");
    return h == null || h.isEmpty() ? null : h;
  }

  /**
   * Ticks as the replicas report them: a poller scrapes every live replica's ticks_total every
   * 50 ms and notes when one rose (a no-op tick makes no request, so the API cannot see it; only
   * an acting leader ticks).
   */
  private final List<Instant> seenTicks = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean polling;

  private void startTickPoller() {
    polling = true;
    Thread t = new Thread(() -> {
      Map<Integer, Double> last = new java.util.HashMap<>();
      while (polling) {
        try {
          for (int port : cluster.operators().ports()) {
            double now;
            try {
              now = com.crd.workflow.scenarios.OperatorProcess.scrape(port,
                  "workflow_operator_ticks_total", null).orElse(0);
            } catch (Exception unreachable) {
              continue; // killed meanwhile
            }
            Double before = last.put(port, now);
            if (before != null && now > before) {
              seenTicks.add(Instant.now());
            }
          }
          Thread.sleep(50);
        } catch (Exception e) {
          return;
        }
      }
    }, "tick-poller");
    t.setDaemon(true);
    t.start();
  }

  private List<Instant> ticks() {
    synchronized (seenTicks) {
      return List.copyOf(seenTicks);
    }
  }

  /** Kills the current leader once both replicas run; returns when it died. */
  private Instant killLeader() throws Exception {
    cluster.setOperators(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
    // The survivor is a standby that has been running: its mirror of the cluster is filled.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> cluster.operators().ports()
        .stream().allMatch(p -> synced(p)));
    // ...and has been up for a few seconds, as when one replica is killed every 5 s and its
    // replacement takes a second or two to start: its rehearsals have warmed the code its first
    // tick as leader runs. A survivor killed into leadership within a second of its JVM starting
    // pays for that warm-up inside the hand-over (seen: 1.25 s on a loaded machine).
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.operators().youngestAge()
        .compareTo(SURVIVOR_UP) >= 0);
    String leader = holder();
    assertTrue(cluster.operators().kill(leader), "leader " + leader + " is one of ours");
    return Instant.now();
  }

  private static boolean synced(int port) {
    try {
      // every reflector listed (workflows, jobs and pods): the mirror is complete, and a
      // standby has rehearsed its first tick on it (see Reconciler.rehearse)
      return com.crd.workflow.scenarios.OperatorProcess.scrape(port,
          "workflow_operator_api_requests_total", "verb=\"list\"").orElse(0) >= 3;
    } catch (Exception e) {
      return false;
    }
  }

  private Duration untilFirstTickAfter(Instant killed) {
    Instant[] first = new Instant[1];
    await("a tick after the kill").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> {
          Optional<Instant> t = ticks().stream().filter(killed::isBefore).findFirst();
          t.ifPresent(i -> first[0] = i);
          return t.isPresent();
        });
    return Duration.between(killed, first[0]);
  }

  private static void assertOneJobPerStep(Workflows wfs, String ns) throws Exception {
    Map<String, Long> perStep = wfs.jobsOf(ns, "chain").stream()
        .collect(Collectors.groupingBy(Workflows::step, Collectors.counting()));
    perStep.forEach((step, n) -> assertEquals(1L, n, "Jobs for step " + step + ": " + perStep));
  }

  @Test
  @DisplayName("two replicas, 3 s leases, the leader killed 5 times: the next leader acts within 4 s of each kill;"
      + " 2 more kills under 50-700 ms of latency: never 2 leases without a tick; no step runs twice")
  void leaderKilledFiveTimes() throws Exception {
    Workflows wfs = start();
    FakeApiServer api = cluster.server();
    cluster.setOperators(2);
    startTickPoller();
    wfs.create(longChain(wfs, "churn", 16));
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      millis.add(untilFirstTickAfter(killLeader()).toMillis());
    }
    System.out.println("acting again after each kill of the leader (ms): " + millis);
    for (long ms : millis) {
      assertTrue(ms <= 4000, "no acting leader for " + ms + " ms after a kill: " + millis);
    }

    // Then the server slows down: the lease calls too, so a hand-over may take a little longer,
    // but the cluster must never go two leases without a tick.
    cluster.setOperators(2);
    Instant from = Instant.now();
    api.addLatency("*", "/", Duration.ofMillis(50), Duration.ofMillis(700), 0.33);
    List<Long> slow = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread.sleep(2000); // some ticks under latency before each kill
      slow.add(untilFirstTickAfter(killLeader()).toMillis());
    }
    Thread.sleep(2000);
    Instant to = Instant.now();
    api.clearLatency();
    List<Instant> ticks = new ArrayList<>(ticks().stream().filter(t -> t.isAfter(from) && t.isBefore(to)).toList());
    ticks.add(0, from);
    ticks.add(to);
    long worst = 0;
    for (int i = 1; i < ticks.size(); i++) {
      worst = Math.max(worst, Duration.between(ticks.get(i - 1), ticks.get(i)).toMillis());
    }
    System.out.println("under 50-700 ms latency: acting again after a kill (ms) " + slow
        + ", longest stretch without a tick " + worst + " ms");
    assertTrue(worst <= 2 * LEASE.toMillis(), "no tick for " + worst + " ms under latency");

    polling = false;
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> "Completed".equals(wfs.status("churn", "chain")));
    assertOneJobPerStep(wfs, "churn");
  }
}
