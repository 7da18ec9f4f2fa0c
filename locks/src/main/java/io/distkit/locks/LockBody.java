package io.distkit.locks;

/** What {@link LockService#withLock} runs while it holds the lock. */
@FunctionalInterface
public interface LockBody {

  /**
   * Runs with the lock held.
   *
   * @param lock the lock's handle: check {@link LockHandle#isValid()} or pass its
   *     {@linkplain LockHandle#fencingToken() token} to what the body writes
   */
  void run(LockHandle lock);
}
