package io.distkit.pool.object;

import java.time.Duration;

/**
 * Hears what a pool does with its objects. Every method defaults to doing nothing; one that throws is logged at
 * WARN and never disturbs the pool. Methods run on the thread that did the work (a scheduler thread for creation,
 * destruction and checks; the caller's for a timeout): keep them quick.
 */
public interface PoolListener {

  /** A listener that hears nothing. */
  PoolListener NONE = new PoolListener() {};

  /**
   * An object was created.
   *
   * @param pool the pool's name
   * @param took how long the factory took
   */
  default void onCreated(String pool, Duration took) {}

  /**
   * The factory failed to create an object.
   *
   * @param pool the pool's name
   * @param failure what it threw
   * @param retryIn when the pool tries again (if objects are still needed)
   */
  default void onCreationFailed(String pool, Throwable failure, Duration retryIn) {}

  /**
   * An object was destroyed.
   *
   * @param pool the pool's name
   * @param reason why
   */
  default void onDestroyed(String pool, DestroyReason reason) {}

  /**
   * A lease has been held longer than the leak threshold (reported once per lease).
   *
   * @param report who holds it, for how long, and where it was acquired
   */
  default void onLeakSuspected(LeakReport report) {}

  /**
   * An acquisition gave up at its deadline.
   *
   * @param pool the pool's name
   * @param timeout what the caller was told (its message names the longest holders)
   */
  default void onTimeout(String pool, PoolTimeoutException timeout) {}
}
