package com.crd.workflow.operator;

import com.crd.workflow.Log;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs ticks one at a time: a full tick every period, and sooner, for what changed, when woken by
 * an event or when a timer the planner asked for comes due. Wake-ups that arrive before a tick
 * starts fold into it; a wake-up during a tick gives exactly one more tick afterwards.
 */
public final class Loop {
  private final Object lock = new Object();
  private final Duration period;
  private final Duration debounce;
  private boolean pending = true; // the first tick runs at once
  private boolean stopped;
  private long nextFull = System.nanoTime(); // the first tick is a full one
  private long timerAt = Long.MAX_VALUE; // nanoTime of the earliest timer, MAX when none

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

  /** Asks for a tick no later than {@code delay} from now; earlier requests win. */
  public void wakeIn(Duration delay) {
    long at = System.nanoTime() + Math.max(0, delay.toNanos());
    synchronized (lock) {
      if (at - timerAt < 0 || timerAt == Long.MAX_VALUE) {
        timerAt = at;
        lock.notifyAll();
      }
    }
  }

  public void stop() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
  }

  /**
   * Blocks, running {@code tick} until {@link #stop()}; a tick in progress always finishes. The
   * tick's argument is true for a full (periodic) tick.
   */
  public void run(Consumer<Boolean> tick) {
    while (true) {
      boolean full;
      synchronized (lock) {
        try {
          while (!pending && !stopped) {
            long now = System.nanoTime();
            long until = timerAt == Long.MAX_VALUE || nextFull - timerAt < 0 ? nextFull : timerAt;
            long left = until - now;
            if (left <= 0) {
              break;
            }
            lock.wait(Math.max(1, left / 1_000_000));
          }
          if (stopped) {
            return;
          }
          if (pending) {
            // Let a burst of events land in this tick: wake-ups only notify, they do not cut the
            // window short.
            long until = System.nanoTime() + debounce.toNanos();
            while (pending && !stopped && System.nanoTime() < until) {
              lock.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (stopped) {
          return;
        }
        long now = System.nanoTime();
        full = now - nextFull >= 0;
        if (full) {
          nextFull = now + period.toNanos();
        }
        pending = false;
        timerAt = Long.MAX_VALUE; // the tick asks again for what it still needs
      }
      try {
        tick.accept(full);
      } catch (RuntimeException e) {
        Log.error("tick crashed", "error", String.valueOf(e));
      }
    }
  }
}
