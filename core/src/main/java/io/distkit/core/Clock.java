package io.distkit.core;

/**
 * The one source of time for everything distkit does.
 *
 * <p>Every primitive takes a {@code Clock} in its builder and reads time nowhere else, so a test can drive
 * time by hand (see {@code ManualClock} in distkit-core's test-jar) and never has to sleep.
 *
 * <p>Implementations must be thread-safe. Because this is a single-purpose interface, a lambda-friendly
 * adapter is easy to write; {@link #system()} is the right choice for production.
 */
public interface Clock {

  /**
   * A monotonic reading in nanoseconds, for measuring intervals. Only differences between two readings of the
   * same clock mean anything; the value may be negative and has no relation to wall time.
   *
   * @return the current monotonic time in nanoseconds
   */
  long nanoTime();

  /**
   * Wall-clock time in milliseconds since the Unix epoch. It may jump (NTP, manual changes); use
   * {@link #nanoTime()} for intervals.
   *
   * @return the current wall time in epoch milliseconds
   */
  long epochMillis();

  /**
   * The clock backed by {@link System#nanoTime()} and {@link System#currentTimeMillis()}.
   *
   * @return the shared system clock
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
