package com.crd.workflow.operator;

import com.crd.workflow.Log;
import java.time.Duration;

/**
 * Runs ticks one at a time: on a period, or sooner when woken. Wake-ups that arrive before a tick
 * starts fold into it; a wake-up during a tick gives exactly one more tick afterwards.
 */
public final class Loop {
  private final Object lock = new Object();
  private final Duration period;
  private final Duration debounce;
  private boolean pending = true; // the first tick runs at once
  private boolean stopped;

  public Loop(Duration period, Duration debounce) {
    this.period = period;
    this.debounce = debounce;
  }

  public void wake() {
    synchronized (lock) {
      pending = true;
      lock.notifyAll();
    }
  }

  public void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
  }

  /** Blocks, running {@code tick} until {@link #stop()}; a tick in progress always finishes. */
  public void run(Runnable tick) {
    while (true) {
      synchronized (lock) {
        long deadline = System.nanoTime() + period.toNanos();
        try {
          while (!pending && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            lock.wait(Math.max(1, left / 1_000_000));
          }
          if (stopped) {
            return;
          }
          // Let a burst of events land in this tick: wake-ups only notify, they do not cut the
          // window short.
          long until = System.nanoTime() + debounce.toNanos();
          while (pending && !stopped && System.nanoTime() < until) {
            lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (stopped) {
          return;
        }
        pending = false;
      }
      try {
        tick.run();
      } catch (RuntimeException e) {
        Log.error("tick crashed", "error", String.valueOf(e));
      }
    }
  }
}
