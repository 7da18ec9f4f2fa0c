package io.distkit.pool.object.local;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A caller waiting for an object. Its outcome is set once, by compare-and-set: a slot handed over (by a caller
 * giving one back, or a creation), or {@link #GAVE_UP} (timed out, interrupted, cancelled, pool closed).
 */
abstract class Waiter<T> {

  /** The outcome of a waiter that stopped waiting. */
  static final Object GAVE_UP = new Object();

  private final AtomicReference<@Nullable Object> outcome = new AtomicReference<>();

  /**
   * Hands over a slot (already marked borrowed under a new loan number).
   *
   * @return whether this waiter took it; false when it had stopped waiting
   */
  final boolean offer(Slot<T> slot) {
    if (outcome.compareAndSet(null, slot)) {
      handed(slot);
      return true;
    }
    return false;
  }

  /**
   * Stops waiting.
   *
   * @return true if it stopped; false when a slot was handed over first (see {@link #handedSlot()})
   */
  final boolean giveUp() {
    return outcome.compareAndSet(null, GAVE_UP);
  }

  /** The slot handed over, if any. */
  @SuppressWarnings("unchecked")
  final @Nullable Slot<T> handedSlot() {
    Object o = outcome.get();
    return o instanceof Slot<?> ? (Slot<T>) o : null;
  }

  /** Tells the waiting side that a slot arrived. */
  abstract void handed(Slot<T> slot);

  /** Tells the waiting side that the pool closed (it then gives up, unless a slot arrived first). */
  abstract void poolClosed();
}
