package io.distkit.pool.object;

/** Why a pool destroyed an object. */
public enum DestroyReason {
  /** Its holder called {@link Lease#invalidate()}. */
  INVALIDATED,
  /** {@link PooledObjectFactory#validate} said it no longer works (or threw). */
  VALIDATION_FAILED,
  /** It sat idle longer than the pool's idle timeout while more than the minimum were idle. */
  IDLE,
  /** It reached its maximum lifetime. */
  LIFETIME,
  /** The pool closed. */
  CLOSED
}
