package io.distkit.core;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking call waits. Every primitive that blocks (a rate limiter's {@code acquire}, a lock's timed
 * wait) waits through an injected {@code Sleeper}, so a test can pair it with a {@code ManualClock} and
 * never sleep for real.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks the calling thread for about {@code nanos} nanoseconds, without burning CPU.
   *
   * @param nanos how long to wait; zero or negative returns at once
   * @throws InterruptedException if the thread is interrupted while waiting (its interrupt status is
   *     cleared, as usual)
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Real waiting with {@link TimeUnit#sleep(long)}.
   *
   * @return the shared system sleeper
   */
  static Sleeper system() {
    return SystemSleeper.INSTANCE;
  }
}
