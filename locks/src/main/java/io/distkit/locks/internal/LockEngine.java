package io.distkit.locks.internal;

import io.distkit.core.session.Scheduler;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockInfo;
import io.distkit.locks.LockLease;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a lock service does for every kind it hands out ({@link LockKind}): the one state machine behind locks,
 * semaphores, read-write locks and elections, local or in Redis. {@link NamedLocks} builds the public types on it.
 */
public interface LockEngine {

  /**
   * Takes a grant of {@code kind} on {@code name}, waiting up to {@code wait} in line.
   *
   * @param kind what is asked for
   * @param name the name: checked non-blank by the caller
   * @param wait how long to wait; zero or negative for not at all
   * @param lease the grant's lease
   * @param candidate for an election, who campaigns (kept with the grant, read back by {@link #inspect}); else null
   * @return the handle, or empty when not granted within the wait
   * @throws InterruptedException when interrupted while waiting (nothing is then held)
   */
  Optional<LockHandle> acquire(LockKind kind, String name, Duration wait, LockLease lease, @Nullable String candidate)
      throws InterruptedException;

  /**
   * Reads {@code name}'s holders and waiters.
   *
   * @param kind any kind of the name's namespace
   * @param name the name
   * @return what is known, with the candidate of the holder that holds alone, if one campaigned
   */
  Inspection inspect(LockKind kind, String name);

  /**
   * The service's default lease.
   *
   * @return the lease of a {@code tryAcquire()} without arguments
   */
  LockLease defaultLease();

  /**
   * The service's scheduler, for background readings (an election's observers).
   *
   * @return the scheduler
   */
  Scheduler scheduler();

  /**
   * What {@link #inspect} read.
   *
   * @param info the public view
   * @param candidate the exclusive holder's candidate, when it campaigned
   */
  record Inspection(LockInfo info, @Nullable String candidate) {}
}
