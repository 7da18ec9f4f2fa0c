package io.distkit.locks;

/** What became of a {@link LockService#withLock} call. */
public enum LockOutcome {
  /** The lock was not granted within the wait: the body did not run. */
  NOT_ACQUIRED,
  /** The body ran and the lock was held, valid, until it returned. */
  COMPLETED,
  /**
   * The body ran, but the lock's lease ran out (or the lock was lost) before it returned: another holder may
   * have run at the same time. Whatever the body wrote without a fencing token check may need repair.
   */
  LEASE_LOST
}
