package com.crd.workflow.kube;

/**
 * A token bucket, like client-go's default client-side limiter: {@code qps} tokens a second, at
 * most {@code burst} saved up. Callers wait for a token, so 10,000 workflows starting at once
 * reach the API server as a steady stream instead of a flood.
 */
public final class RateLimiter {
  public static final RateLimiter UNLIMITED = new RateLimiter(0, 0);

  private final double qps;
  private final double burst;
  private double tokens;
  private long last = System.nanoTime();

  /** @param qps tokens per second; 0 or less means no limit */
  public RateLimiter(double qps, int burst) {
    this.qps = qps;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
  }

  /**
   * Takes {@code n} tokens only if they are there now, never waiting or borrowing: for work that
   * may use spare budget but must not delay anything else.
   */
  public boolean tryAcquire(int n) {
    if (qps <= 0) {
      return true;
    }
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
      last = now;
      if (tokens < n && !(n > burst && tokens >= burst)) {
        return false;
      }
      tokens -= n;
      return true;
    }
  }

  /**
   * Takes one token when one is spare, waiting as long as paced callers have a claim on the
   * bucket: background work (a resync's LIST pages) goes only where nothing else would.
   */
  public void acquireSpare() {
    while (!tryAcquire(1)) {
      try {
        Thread.sleep(Math.max(1, (long) (1000 / qps)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Takes one token, waiting for it if the bucket is empty. */
  public void acquire() {
    if (qps <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
      last = now;
      tokens -= 1; // may go negative: the debt is this caller's wait, and later callers queue behind it
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / qps * 1e9);
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
