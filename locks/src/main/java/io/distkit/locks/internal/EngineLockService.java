package io.distkit.locks.internal;

import io.distkit.core.session.Scheduler;
import io.distkit.locks.FencedLock;
import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LeaderElection;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockInfo;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import java.time.Duration;
import java.util.Optional;

/**
 * A lock service on an engine: what the local and the Redis service answer alike, every kind through
 * {@link NamedLocks} on the engine's {@link #acquire} and {@link #inspect(LockKind, String)}.
 */
public abstract class EngineLockService implements LockService, LockEngine {

  private final LockLease defaultLease;
  private final Scheduler scheduler;

  /**
   * For the services.
   *
   * @param defaultLease the lease of {@code tryAcquire()} without arguments
   * @param scheduler the service's scheduler
   */
  protected EngineLockService(LockLease defaultLease, Scheduler scheduler) {
    this.defaultLease = defaultLease;
    this.scheduler = scheduler;
  }

  @Override
  public final Optional<LockHandle> tryAcquire(String name) {
    return lock(name).tryAcquire();
  }

  @Override
  public final Optional<LockHandle> tryAcquire(String name, Duration wait, LockLease lease)
      throws InterruptedException {
    return lock(name).tryAcquire(wait, lease);
  }

  @Override
  public final FencedLock lock(String name) {
    return NamedLocks.lock(this, name);
  }

  @Override
  public final FencedSemaphore semaphore(String name, int permits) {
    return NamedLocks.semaphore(this, name, permits);
  }

  @Override
  public final FencedReadWriteLock readWriteLock(String name) {
    return NamedLocks.readWriteLock(this, name);
  }

  @Override
  public final LeaderElection election(String name) {
    return NamedLocks.election(this, name);
  }

  @Override
  public final LockInfo inspect(String name) {
    return lock(name).inspect();
  }

  @Override
  public final LockLease defaultLease() {
    return defaultLease;
  }

  @Override
  public final Scheduler scheduler() {
    return scheduler;
  }
}
