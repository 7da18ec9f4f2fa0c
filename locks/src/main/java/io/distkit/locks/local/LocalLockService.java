package io.distkit.locks.local;

import io.distkit.locks.LockService;
import io.distkit.locks.LockServiceBuilder;

/**
 * Locks, semaphores, read-write locks and elections in this JVM: the same state machine as the Redis service
 * (fencing tokens, leases on the injected clock, first-come-first-served hand-off), so one contract suite runs on
 * both and tests drive time with a {@code ManualClock} instead of sleeping.
 *
 * <pre>{@code
 * LockService locks = LocalLockService.builder().build();
 * }</pre>
 *
 * <h2>Cost</h2>
 * One mutex for the whole service, held for a few map and queue operations per call; a waiting caller parks
 * (virtual threads unmount) until a release or an expiry hands it the lock or its wait runs out. Threads: none of
 * its own; each fixed lease schedules one expiry task, and each wait one timeout, on the
 * {@linkplain LockServiceBuilder#scheduler scheduler}. Memory: one entry per lock that is held or waited for; a
 * free lock takes none. A renewed lease needs no renewal here: it lasts until released.
 *
 * <h2>Time</h2>
 * Leases end by the clock's {@code nanoTime}; a wait ends by the scheduler's time (the same clock for a
 * {@code ManualScheduler} on it, real time for the default one). Tokens are {@code max(last + 1, now in µs)} by
 * the clock's {@code epochMillis}, one sequence for the whole service, so a name's tokens grow even after its
 * entry was dropped.
 */
public final class LocalLockService {

  private LocalLockService() {}

  /**
   * Starts configuring a local lock service.
   *
   * @return a builder with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link LocalLockService}: the settings of {@link LockServiceBuilder}. */
  public static final class Builder extends LockServiceBuilder<Builder> {

    private Builder() {}

    @Override
    public LockService build() {
      return new LocalLocks(configuredDefaultLease(), configuredClock(), configuredScheduler(),
          configuredListener());
    }
  }
}
