package io.distkit.locks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out named, exclusive locks with fencing tokens, and semaphores ({@link #semaphore}), read-write locks
 * ({@link #readWriteLock}) and leader elections ({@link #election}) built on the same state machine. A grant is a
 * {@link LockHandle}: ownership is by handle, never by thread, and a denial is a value ({@link Optional#empty()}),
 * not an exception.
 *
 * <pre>{@code
 * LockService locks = LocalLockService.builder().build();
 * Optional<LockHandle> lock = locks.tryAcquire("report:daily", Duration.ofSeconds(5), LockLease.fixed(Duration.ofMinutes(1)));
 * if (lock.isPresent()) {
 *   try (LockHandle held = lock.get()) {
 *     run(held.fencingToken());
 *   }
 * }
 * }</pre>
 *
 * <p><b>Guarantees.</b> At most one valid handle per name at any time, by the service's clock. Tokens only grow for
 * a name, across holders. Waiters are served first come, first served: a release (or an expiry) hands the lock
 * straight to the longest-waiting caller, so no caller barges in front of one that waits. A holder whose lease ran
 * out loses the lock: its handle turns invalid and {@link LockHandle#whenLost} hears; the lock goes to the next
 * waiter. Mutual exclusion for a holder that pauses past its lease needs the resource to check tokens
 * ({@link FencedResource}).
 *
 * <p>Implementations are thread-safe.
 */
public interface LockService extends AutoCloseable {

  /**
   * Takes the lock if it is free now, with the service's default lease.
   *
   * @param name the lock's name: non-blank
   * @return the handle, or empty when the lock is held (or others wait for it)
   */
  Optional<LockHandle> tryAcquire(String name);

  /**
   * Takes the lock, waiting up to {@code wait} behind the holder and earlier waiters.
   *
   * @param name the lock's name: non-blank
   * @param wait how long to wait; zero (or negative) for not at all
   * @param lease how long the grant lasts
   * @return the handle, or empty when the lock was not granted within the wait
   * @throws InterruptedException when the thread was interrupted while waiting (it then holds nothing)
   */
  Optional<LockHandle> tryAcquire(String name, Duration wait, LockLease lease) throws InterruptedException;

  /**
   * Runs {@code body} with the lock held, then releases it, and says whether the lease held throughout. An
   * exception from the body is rethrown after the release.
   *
   * @param name the lock's name: non-blank
   * @param wait how long to wait for the lock
   * @param lease how long the grant lasts
   * @param body what to run
   * @return {@link LockOutcome#NOT_ACQUIRED} (the body did not run), {@link LockOutcome#COMPLETED}, or
   *     {@link LockOutcome#LEASE_LOST} when the lock was lost before the body returned
   * @throws InterruptedException when the thread was interrupted while waiting for the lock
   */
  default LockOutcome withLock(String name, Duration wait, LockLease lease, LockBody body)
      throws InterruptedException {
    Objects.requireNonNull(body, "body");
    Optional<LockHandle> granted = tryAcquire(name, wait, lease);
    if (granted.isEmpty()) {
      return LockOutcome.NOT_ACQUIRED;
    }
    try (LockHandle lock = granted.get()) {
      body.run(lock);
      return lock.isValid() ? LockOutcome.COMPLETED : LockOutcome.LEASE_LOST;
    }
  }

  /**
   * A named lock, as an object: the same lock as {@link #tryAcquire(String, Duration, LockLease)} with that name.
   *
   * @param name non-blank
   * @return the lock (it holds nothing until acquired)
   */
  FencedLock lock(String name);

  /**
   * A named semaphore of {@code permits} permits, each a lease with a fencing token. Semaphores' names are apart
   * from locks': a semaphore and a lock of the same name are unrelated.
   *
   * @param name non-blank
   * @param permits how many holders at most: at least 1
   * @return the semaphore (it holds nothing until acquired)
   * @throws IllegalArgumentException when {@code permits} is below 1, naming it
   */
  FencedSemaphore semaphore(String name, int permits);

  /**
   * A named read-write lock, whose readers cannot starve a writer. Its names are apart from locks'.
   *
   * @param name non-blank
   * @return the read-write lock (it holds nothing until acquired)
   */
  FencedReadWriteLock readWriteLock(String name);

  /**
   * A named leader election, whose term is the fencing token of the leader's grant. Its names are apart from
   * locks'.
   *
   * @param name non-blank
   * @return the election
   */
  LeaderElection election(String name);

  /**
   * The lock as it is now: holder, token, remaining lease and waiters. Cheap; for diagnostics, not for
   * decisions (it may change right after).
   *
   * @param name the lock's name: non-blank
   * @return what the service knows of it
   */
  LockInfo inspect(String name);

  /**
   * Counts since the service was built.
   *
   * @return a snapshot
   */
  LockStats stats();

  /**
   * Stops the service: waiting callers get empty, held locks are released (their handles turn invalid without
   * a {@code whenLost}), and later calls throw {@link IllegalStateException}. Idempotent.
   */
  @Override
  void close();
}
