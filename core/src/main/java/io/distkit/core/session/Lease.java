package io.distkit.core.session;

import java.util.Optional;

/**
 * A time-limited grant (a lock's hold, a semaphore permit, a group membership, a job's visibility), held
 * until released, lost, or run out.
 *
 * <p>{@link #isValid()} answers from a <em>conservative local deadline</em>: the holder's monotonic clock,
 * counted from when the request that granted or last renewed the lease was <em>sent</em> (not when the answer
 * came back), minus a margin for clocks that run at slightly different rates. The backend may hold the lease a
 * little longer than the holder believes, never shorter, unless a clock jumps or the backend loses it (a
 * failover before replication): a resource that must not accept a stale holder checks the
 * {@linkplain #token() fencing token} as well.
 *
 * <p>Implementations are thread-safe: a lease may be checked, released or given up from any thread.
 */
public interface Lease {

  /**
   * The conservative local deadline of a lease granted or renewed by a request sent at {@code sentNanos}: the
   * rule every lease of distkit follows, for a primitive that keeps a lease of its own (a group membership
   * renewed by its own script) as for {@link io.distkit.core.redis.RedisLeases}. It is
   * {@code sentNanos + ttl − max(ttl / 100, 2 ms)}: the backend counts the lease from when it handled the
   * request, which is later than {@code sentNanos}, and the margin covers two clocks that tick at slightly
   * different rates (1%, and at least 2 ms for short leases). A lease of 2 ms or less has its deadline at
   * {@code sentNanos}: never valid.
   *
   * <pre>{@code
   * long sent = clock.nanoTime();
   * renew(); // one round trip that the backend confirmed
   * long deadline = Lease.localDeadline(sent, ttlNanos);
   * boolean valid = clock.nanoTime() - deadline < 0;
   * }</pre>
   *
   * @param sentNanos the holder's monotonic time ({@code nanoTime}) just before the request was sent
   * @param ttlNanos the lease's time to live in nanoseconds, at least 0
   * @return the monotonic time from which the holder must consider the lease gone; compare with
   *     {@code now - deadline < 0}, as {@link System#nanoTime()} values may wrap
   * @throws IllegalArgumentException when {@code ttlNanos} is negative
   */
  static long localDeadline(long sentNanos, long ttlNanos) {
    if (ttlNanos < 0) {
      throw new IllegalArgumentException("ttlNanos must be at least 0, got " + ttlNanos);
    }
    long margin = Math.max(ttlNanos / 100, 2_000_000L);
    return sentNanos + Math.max(0, ttlNanos - margin);
  }

  /** Where a lease is in its life. */
  enum State {
    /** Granted and, as far as the holder knows, still held. */
    HELD,
    /** Given up by the holder. */
    RELEASED,
    /** Lost: see {@link LostReason}. */
    LOST
  }

  /** Why a lease was lost. */
  enum LostReason {
    /** The backend said the lease no longer exists: it ran out there, or was removed or taken over. */
    GONE,
    /** The local deadline passed before a renewal was confirmed (the backend unreachable or too slow). */
    EXPIRED
  }

  /** Hears that a lease was lost. */
  @FunctionalInterface
  interface LostListener {

    /**
     * The lease was lost. Called once, on a scheduler thread, within one renewal check interval of the loss
     * becoming known; a listener that throws is logged at WARN. Keep it quick.
     *
     * @param lease the lease, now {@link State#LOST}
     * @param reason why
     */
    void onLost(Lease lease, LostReason reason);
  }

  /**
   * The lease's id within its resource (unique per holder).
   *
   * @return the id given at acquisition
   */
  String id();

  /**
   * Whether the holder may still act on the lease.
   *
   * @return true while {@link State#HELD} and before the conservative local deadline
   */
  boolean isValid();

  /**
   * How long the lease surely lasts, by the local deadline.
   *
   * @return nanoseconds left, 0 once invalid
   */
  long remainingNanos();

  /**
   * Where the lease is in its life.
   *
   * @return the state
   */
  State state();

  /**
   * The fencing token granted with the lease, if one was asked for.
   *
   * @return the token, which grows with every grant of the resource
   */
  Optional<FencingToken> token();

  /**
   * Gives the lease up: stops renewing it and removes it from the backend. Idempotent; a lease that was lost
   * stays lost.
   *
   * @return true when the backend still held it and now does not; false when it was already gone
   * @throws io.distkit.core.BackendUnavailableException when the backend could not be told; the lease then
   *     runs out on its own at its TTL, and is {@link State#RELEASED} locally either way
   */
  boolean release();
}
