package com.crd.workflow.kube;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  @DisplayName("a burst passes at once; beyond it callers are paced at qps")
  void burstThenPaced() {
    RateLimiter limiter = new RateLimiter(50, 10);
    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      limiter.acquire();
    }
    long burstMillis = (System.nanoTime() - start) / 1_000_000;
    for (int i = 0; i < 25; i++) {
      limiter.acquire();
    }
    long totalMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(burstMillis < 200, "the burst waited " + burstMillis + " ms");
    // 25 more tokens at 50/s take at least 500 ms, whatever the machine's speed.
    assertTrue(totalMillis >= 480, "paced calls took only " + totalMillis + " ms");
  }

  @Test
  @DisplayName("spare-budget callers never wait and never borrow ahead of paced callers")
  void tryAcquireOnlySpare() {
    RateLimiter limiter = new RateLimiter(1, 3);
    assertTrue(limiter.tryAcquire(2));
    assertFalse(limiter.tryAcquire(2), "only one token left");
    assertTrue(limiter.tryAcquire(1));
    assertFalse(limiter.tryAcquire(1));
    assertTrue(RateLimiter.UNLIMITED.tryAcquire(1000));
  }
}
