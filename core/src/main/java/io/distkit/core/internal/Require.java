package io.distkit.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks whose messages name the bad value, in the form {@code "name (value) must be ..."}.
 *
 * <p>Not API.
 */
public final class Require {

  private Require() {}

  /**
   * Checks that a string is neither null nor blank.
   *
   * @param value the argument
   * @param name the argument's name, for the message
   * @return {@code value}
   * @throws NullPointerException when it is null
   * @throws IllegalArgumentException when it is empty or only whitespace
   */
  public static String nonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " (" + Quote.of(value) + ") must not be blank");
    }
    return value;
  }

  /**
   * Checks that a number is positive.
   *
   * @param value the argument
   * @param name the argument's name, for the message
   * @return {@code value}
   * @throws IllegalArgumentException when it is zero or negative
   */
  public static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " (" + value + ") must be positive");
    }
    return value;
  }

  /**
   * Checks that a duration is positive and returns it in nanoseconds, saturated at {@link Long#MAX_VALUE}.
   *
   * @param value the argument
   * @param name the argument's name, for the message
   * @return the duration in nanoseconds, at most {@link Long#MAX_VALUE}
   * @throws NullPointerException when it is null
   * @throws IllegalArgumentException when it is zero or negative
   */
  public static long positiveNanos(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " (" + value + ") must be positive");
    }
    return saturatedNanos(value);
  }

  /**
   * Checks that a duration is zero or more.
   *
   * @param value the argument
   * @param name the argument's name, for the message
   * @return the duration in nanoseconds, at most {@link Long#MAX_VALUE}
   * @throws NullPointerException when it is null
   * @throws IllegalArgumentException when it is negative
   */
  public static long nonNegativeNanos(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " (" + value + ") must not be negative");
    }
    return saturatedNanos(value);
  }

  /**
   * A duration in nanoseconds, saturated at {@link Long#MAX_VALUE} and {@link Long#MIN_VALUE} instead of
   * overflowing (Duration.toNanos throws beyond about 292 years).
   *
   * @param value any duration
   * @return its length in nanoseconds, clamped to the range of a long
   */
  public static long saturatedNanos(Duration value) {
    try {
      return value.toNanos();
    } catch (ArithmeticException overflow) {
      return value.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
