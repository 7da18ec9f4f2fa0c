package io.distkit.locks;

import io.distkit.core.testing.HoldHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Threads that take a semaphore's permit or a side of a read-write lock, hold it a little, record the hold and
 * release, for the shared-hold checks of every service.
 */
public final class KindCycles {

  private KindCycles() {}

  /**
   * What a caller takes in one cycle.
   *
   * @param lock the semaphore or the side
   * @param exclusive whether it is held alone (a writer)
   */
  public record Pick(FencedLock lock, boolean exclusive) {}

  /**
   * Runs {@code threads} callers, caller {@code t} on {@code services.get(t % services.size())}, each taking what
   * {@code pick} chooses {@code cycles} times, and waits for them.
   *
   * @param pool where the callers run
   * @param services the services the callers take turns on
   * @param threads how many callers
   * @param cycles holds per caller
   * @param holdMicros how long each hold lasts: longer than a round trip to the backend, so that shared holds do
   *     overlap
   * @param pick chooses, per cycle, what to take on a service (a random draw in [0, 1) is passed in)
   * @param history records every hold
   * @throws Exception what a caller threw
   */
  public static void run(ExecutorService pool, List<LockService> services, int threads, int cycles,
      long holdMicros, Function<LockService, Function<Double, Pick>> pick, SharedHoldHistory history) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Function<Double, Pick> choose = pick.apply(services.get(t % services.size()));
      String holder = "caller-" + t;
      running.add(pool.submit(() -> {
        for (int i = 0; i < cycles; i++) {
          Pick taken = choose.apply(ThreadLocalRandom.current().nextDouble());
          LockHandle handle = taken.lock().tryAcquire(Duration.ofSeconds(30), LockLease.fixed(Duration.ofSeconds(10)))
              .orElseThrow();
          long start = HoldHistory.nowMicros();
          long end = LockCycles.holdFor(start, holdMicros);
          history.record(new HoldHistory.Hold(holder, handle.fencingToken(), start, end), taken.exclusive());
          if (!handle.release()) {
            throw new AssertionError(holder + " found " + handle + " gone at its release");
          }
        }
        return null;
      }));
    }
    for (Future<?> caller : running) {
      caller.get(2, TimeUnit.MINUTES);
    }
  }
}
