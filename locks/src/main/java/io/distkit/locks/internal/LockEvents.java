package io.distkit.locks.internal;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.internal.Listeners;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.locks.LockListener;
import io.distkit.locks.LockStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every lock service counts for {@link LockStats} and tells its {@link LockListener}, in one place: each event
 * is counted and then delivered (a listener that throws is logged, never changes an outcome). Thread-safe.
 */
public final class LockEvents {

  private final LockListener listener;
  private final LongAdder acquired = new LongAdder();
  private final LongAdder handedOff = new LongAdder();
  private final LongAdder notAcquired = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder lost = new LongAdder();

  /**
   * Counts and tells {@code listener}.
   *
   * @param listener the service's listener
   */
  public LockEvents(LockListener listener) {
    this.listener = listener;
  }

  /**
   * A lock was granted.
   *
   * @param name the lock
   * @param token the grant's token
   * @param waitedNanos how long the caller waited
   * @param handOffNanos when a release or an expiry handed it to the caller waiting in line, how long from the
   *     hand-off to the caller holding it; negative when the caller was not handed it
   */
  public void acquired(String name, FencingToken token, long waitedNanos, long handOffNanos) {
    acquired.increment();
    boolean handed = handOffNanos >= 0;
    if (handed) {
      handedOff.increment();
    }
    Listeners.notify(listener, "onAcquired", l -> l.onAcquired(name, token, waitedNanos, handed));
    if (handed) {
      Listeners.notify(listener, "onHandOff", l -> l.onHandOff(name, token, handOffNanos));
    }
  }

  /**
   * A round of renewals could not reach the backend.
   *
   * @param failure why
   */
  public void renewalFailed(BackendUnavailableException failure) {
    Listeners.notify(listener, "onRenewalFailed", l -> l.onRenewalFailed(failure));
  }

  /**
   * A caller gave up.
   *
   * @param name the lock
   * @param waitedNanos how long it waited
   */
  public void notAcquired(String name, long waitedNanos) {
    notAcquired.increment();
    Listeners.notify(listener, "onNotAcquired", l -> l.onNotAcquired(name, waitedNanos));
  }

  /**
   * A holder released a lock it still held.
   *
   * @param name the lock
   * @param token the grant's token
   * @param heldNanos how long it was held
   */
  public void released(String name, FencingToken token, long heldNanos) {
    released.increment();
    Listeners.notify(listener, "onReleased", l -> l.onReleased(name, token, heldNanos));
  }

  /**
   * A lock was lost while held.
   *
   * @param name the lock
   * @param token the grant's token
   * @param reason why
   */
  public void lost(String name, FencingToken token, Lease.LostReason reason) {
    lost.increment();
    Listeners.notify(listener, "onLost", l -> l.onLost(name, token, reason));
  }

  /**
   * The counts, with the service's own counts of held grants and renewals.
   *
   * @param held grants held right now
   * @param renewals renewals confirmed
   * @param renewalFailures renewal rounds that failed
   * @return a snapshot
   */
  public LockStats stats(long held, long renewals, long renewalFailures) {
    return new LockStats(acquired.sum(), handedOff.sum(), notAcquired.sum(), released.sum(), lost.sum(), held,
        renewals, renewalFailures);
  }
}
