package io.distkit.locks;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;

/**
 * Hears what happens to a {@link LockService}'s locks, for metrics and logs. Every method defaults to doing
 * nothing; a listener that throws is logged at WARN and never changes an outcome. Methods run on the thread that
 * caused the event (the acquiring or releasing caller, the writer refused), {@link #onLost} and
 * {@link #onRenewalFailed} on the service's scheduler: keep them quick.
 */
public interface LockListener {

  /** A listener that hears nothing. */
  LockListener NONE = new LockListener() {};

  /**
   * A lock was granted.
   *
   * @param name the lock
   * @param token the grant's fencing token
   * @param waitedNanos how long the caller waited for it
   * @param handedOff whether a release or an expiry handed it straight to this waiter
   */
  default void onAcquired(String name, FencingToken token, long waitedNanos, boolean handedOff) {}

  /**
   * A grant was handed straight to a waiter by a release or an expiry: called after {@link #onAcquired}, with the
   * hand-off latency.
   *
   * @param name the lock
   * @param token the grant's fencing token
   * @param handOffNanos from the hand-off (in the releasing call, or at the expiry) to the waiter holding the lock;
   *     on Redis measured by the server's clock (µs resolution) from the release script to the waiter's claim
   */
  default void onHandOff(String name, FencingToken token, long handOffNanos) {}

  /**
   * A caller gave up on a busy lock.
   *
   * @param name the lock
   * @param waitedNanos how long it waited
   */
  default void onNotAcquired(String name, long waitedNanos) {}

  /**
   * A holder released a lock it still held.
   *
   * @param name the lock
   * @param token the grant's fencing token
   * @param heldNanos how long it was held
   */
  default void onReleased(String name, FencingToken token, long heldNanos) {}

  /**
   * A lock was lost while held.
   *
   * @param name the lock
   * @param token the grant's fencing token
   * @param reason why
   */
  default void onLost(String name, FencingToken token, Lease.LostReason reason) {}

  /**
   * A round of renewals could not reach the backend (Redis only; on the scheduler). The leases it would have
   * renewed stay valid until their local deadlines and are retried at the next check.
   *
   * @param failure why
   */
  default void onRenewalFailed(BackendUnavailableException failure) {}

  /**
   * A {@link FencedResource} built with this listener refused a write: its token was older than the newest seen.
   *
   * @param rejected the writer's token
   * @param newest the newest token the resource had accepted
   */
  default void onFencingRejected(FencingToken rejected, FencingToken newest) {}
}
