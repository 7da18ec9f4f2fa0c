package io.distkit.locks;

/**
 * A named semaphore whose permits are leases with fencing tokens: at most {@link #permits()} valid handles at any
 * time, each a {@link LockHandle} released by its holder, or returned by itself when its lease runs out (a crashed
 * holder's permit comes back within its lease; on Redis, within the lease and one re-check interval for a waiter
 * to see it). Tokens grow with every grant of the semaphore, across holders.
 *
 * <pre>{@code
 * FencedSemaphore exports = locks.semaphore("exports", 3); // at most three exports at once, fleet-wide on Redis
 * Optional<LockHandle> permit = exports.tryAcquire(Duration.ofSeconds(5), LockLease.renewed(Duration.ofSeconds(15)));
 * }</pre>
 *
 * <p>The number of permits is part of the request, not stored: every user of a name should ask with the same
 * number. One that asks with fewer is granted only while fewer are held.
 */
public interface FencedSemaphore extends FencedLock {

  /**
   * How many permits there are.
   *
   * @return at least 1
   */
  int permits();
}
