package io.distkit.locks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One named thing to hold, from a {@link LockService}: a lock ({@link LockService#lock}), a semaphore's permits
 * ({@link LockService#semaphore}) or one side of a read-write lock ({@link LockService#readWriteLock}). A grant is a
 * {@link LockHandle} with a fencing token; a denial is {@link Optional#empty()}. Waiters are served first come,
 * first served, whatever they wait for: a caller that fits now still queues behind earlier waiters.
 *
 * <p>This object holds nothing itself: it is a name and a kind, cheap to create, safe to share between threads.
 */
public interface FencedLock {

  /**
   * The name given to the service.
   *
   * @return the name
   */
  String name();

  /**
   * Takes a grant if one is free now and nobody waits, with the service's default lease.
   *
   * @return the handle, or empty when none is free
   */
  Optional<LockHandle> tryAcquire();

  /**
   * Takes a grant, waiting up to {@code wait} behind the holders and earlier waiters.
   *
   * @param wait how long to wait; zero (or negative) for not at all
   * @param lease how long the grant lasts
   * @return the handle, or empty when nothing was granted within the wait
   * @throws InterruptedException when the thread was interrupted while waiting (it then holds nothing)
   */
  Optional<LockHandle> tryAcquire(Duration wait, LockLease lease) throws InterruptedException;

  /**
   * Runs {@code body} with a grant held, then releases it, and says whether the lease held throughout. An
   * exception from the body is rethrown after the release.
   *
   * @param wait how long to wait for a grant
   * @param lease how long the grant lasts
   * @param body what to run
   * @return {@link LockOutcome#NOT_ACQUIRED} (the body did not run), {@link LockOutcome#COMPLETED}, or
   *     {@link LockOutcome#LEASE_LOST} when the grant was lost before the body returned
   * @throws InterruptedException when the thread was interrupted while waiting
   */
  default LockOutcome withLock(Duration wait, LockLease lease, LockBody body) throws InterruptedException {
    Objects.requireNonNull(body, "body");
    Optional<LockHandle> granted = tryAcquire(wait, lease);
    if (granted.isEmpty()) {
      return LockOutcome.NOT_ACQUIRED;
    }
    try (LockHandle lock = granted.get()) {
      body.run(lock);
      return lock.isValid() ? LockOutcome.COMPLETED : LockOutcome.LEASE_LOST;
    }
  }

  /**
   * The name's holders and waiters as they are now (for a read-write lock, both sides). Cheap; for diagnostics, not
   * for decisions.
   *
   * @return what the service knows of it
   */
  LockInfo inspect();
}
