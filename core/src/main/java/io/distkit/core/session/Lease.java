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
