package com.crd.workflow.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoopTest {
  private final Loop loop = new Loop(Duration.ofHours(1), Duration.ofMillis(200));
  private final AtomicInteger ticks = new AtomicInteger();
  private Thread thread;

  private void start(Runnable tick) {
    thread = new Thread(() -> loop.run(full -> tick.run()));
    thread.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
    thread.join(5000);
  }

  @Test
  @DisplayName("a burst of 100 wake-ups while idle is coalesced, and a tick follows the last one")
  void burstIsCoalesced() {
    AtomicInteger lastWake = new AtomicInteger();
    AtomicInteger seenByLastTick = new AtomicInteger(-1);
    start(() -> {
      ticks.incrementAndGet();
      seenByLastTick.set(lastWake.get());
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() == 1); // the first tick
    for (int i = 1; i <= 100; i++) {
      lastWake.set(i);
      loop.wake();
    }
    // Order and counts, not a time window: whatever pauses the machine takes, the last wake-up
    // is followed by a tick, and the burst costs at most one tick more than the debounce
    // promises (a pause longer than the debounce in the middle of it splits it in two).
    await().atMost(Duration.ofSeconds(5)).until(() -> seenByLastTick.get() == 100);
    int afterBurst = ticks.get() - 1;
    assertTrue(afterBurst >= 1 && afterBurst <= 2, afterBurst + " ticks for one burst");
  }

  @Test
  @DisplayName("wake-ups during a tick give exactly one more tick, and ticks never overlap")
  void wakeDuringTickGivesOneMore() throws InterruptedException {
    CountDownLatch inTick = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    start(() -> {
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      if (ticks.incrementAndGet() == 1) {
        inTick.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      active.decrementAndGet();
    });
    inTick.await();
    for (int i = 0; i < 5; i++) {
      loop.wake();
    }
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 2);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> ticks.get() == 2);
    assertEquals(1, maxActive.get());
  }

  @Test
  @DisplayName("without wake-ups the period alone drives ticks")
  void periodDrivesTicks() throws InterruptedException {
    Loop fast = new Loop(Duration.ofMillis(100), Duration.ZERO);
    Thread t = new Thread(() -> fast.run(full -> ticks.incrementAndGet()));
    t.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 4);
    fast.stop();
    t.join(5000);
    thread = new Thread(() -> { });
    thread.start();
  }

  @Test
  @DisplayName("a tick that throws does not stop the loop")
  void crashingTickKeepsLooping() {
    start(() -> {
      ticks.incrementAndGet();
      throw new IllegalStateException("boom");
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() == 1);
    loop.wake();
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() == 2);
  }

  @Test
  @DisplayName("the first tick and every period's tick are full; a wake-up's tick is not")
  void fullTicksOnThePeriod() throws InterruptedException {
    java.util.List<Boolean> kinds = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    thread = new Thread(() -> loop.run(kinds::add));
    thread.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> kinds.size() == 1);
    loop.wake();
    await().atMost(Duration.ofSeconds(5)).until(() -> kinds.size() == 2);
    assertEquals(java.util.List.of(true, false), kinds);
  }

  @Test
  @DisplayName("a timer asked for by a tick wakes the loop long before the period")
  void timerWakesTheLoop() {
    thread = new Thread(() -> loop.run(full -> {
      if (ticks.incrementAndGet() == 1) {
        loop.wakeIn(Duration.ofMillis(300));
      }
    }));
    thread.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() == 2); // the period is an hour
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> ticks.get() == 2);
  }
}
