package io.distkit.benchmarks.ratelimit;

/**
 * One implementation's yes/no decision for one permit of one of a fixed set of keys, chosen by index, so that
 * implementations that need an object per key (made once, outside the measurement) and those that take the
 * key itself are called the same way.
 */
public interface KeyedLimiter extends AutoCloseable {

  /**
   * Asks for one permit of a key.
   *
   * @param key the key's index, from 0 to the number of keys the limiter was made for, exclusive
   * @return whether it was granted
   */
  boolean tryAcquire(int key);

  /** Releases clients the limiter made for itself; by default there are none. */
  @Override
  default void close() {}
}
