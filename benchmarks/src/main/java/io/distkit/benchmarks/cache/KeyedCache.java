package io.distkit.benchmarks.cache;

import org.jspecify.annotations.Nullable;

/**
 * One implementation's read and write of one of a fixed set of entries ({@link Entries}), chosen by index, so that
 * implementations that need an object per key (made once, outside the measurement) and those that take the key
 * itself are called the same way.
 */
public interface KeyedCache extends AutoCloseable {

  /**
   * Reads a key.
   *
   * @param key the key's index
   * @return the value cached for it (unwrapped, as a caller uses it), or null
   */
  @Nullable Object get(int key);

  /**
   * Writes a key's value (the same value it was given in setup), with a 10-minute time to live where the
   * implementation takes one.
   *
   * @param key the key's index
   */
  void put(int key);

  /**
   * Writes every entry, then reads each back (where the implementation has a copy in the JVM, the read makes it).
   *
   * @param entries the entries this cache was made for
   * @param implementation its name, for the failure's message
   * @return this cache
   * @throws IllegalStateException when a read does not return what was written (the cache is closed)
   */
  default KeyedCache filledWith(Entries entries, String implementation) {
    for (int i = 0; i < entries.size(); i++) {
      put(i);
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!entries.values()[i].equals(get(i))) {
        close();
        throw new IllegalStateException(implementation + " did not return the value of " + entries.keys()[i]);
      }
    }
    return this;
  }

  /** Releases clients the cache made for itself. */
  @Override
  void close();
}
