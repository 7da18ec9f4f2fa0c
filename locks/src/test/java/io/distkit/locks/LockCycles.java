package io.distkit.locks;

import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.HoldHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Threads that take a lock, write to a fenced register with its token, record the hold and release, for the
 * history checks of every service.
 */
public final class LockCycles {

  private LockCycles() {}

  /**
   * Runs {@code threads} callers, caller {@code t} on {@code services.get(t % services.size())}, each taking and
   * releasing the lock {@code cycles} times, and waits for them.
   *
   * @param pool where the callers run (at least {@code threads} threads)
   * @param services the services the callers take turns on
   * @param threads how many callers
   * @param cycles holds per caller
   * @param name the lock
   * @param lease each hold's lease
   * @param history records every hold: the start after the grant, the end before the release
   * @param register written once per hold, with the hold's token
   * @throws Exception what a caller threw (a release that found the lock gone is an {@link AssertionError})
   */
  public static void run(ExecutorService pool, List<LockService> services, int threads, int cycles, String name,
      LockLease lease, HoldHistory history, FencedRegister<Integer> register) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      LockService locks = services.get(t % services.size());
      String holder = "caller-" + t;
      running.add(pool.submit(() -> {
        for (int i = 0; i < cycles; i++) {
          LockHandle lock = locks.tryAcquire(name, Duration.ofSeconds(30), lease).orElseThrow();
          long start = HoldHistory.nowMicros();
          register.write(lock.fencingToken(), i);
          long end = holdFor(start, 50);
          history.record(new HoldHistory.Hold(holder, lock.fencingToken(), start, end));
          if (!lock.release()) {
            throw new AssertionError(holder + " found " + lock + " gone at its release");
          }
        }
        return null;
      }));
    }
    for (Future<?> caller : running) {
      caller.get(2, TimeUnit.MINUTES);
    }
  }

  /**
   * Keeps "working" with a lock until {@code micros} after {@code start} (a spin: a sleep is far coarser), so that
   * two holds that overlap show it.
   *
   * @param start when the hold began, by {@link HoldHistory#nowMicros()}
   * @param micros how long to hold
   * @return the end, by {@link HoldHistory#nowMicros()}
   */
  public static long holdFor(long start, long micros) {
    long now = HoldHistory.nowMicros();
    while (now < start + micros) {
      Thread.onSpinWait();
      now = HoldHistory.nowMicros();
    }
    return now;
  }
}
