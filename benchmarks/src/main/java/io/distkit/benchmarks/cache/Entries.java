package io.distkit.benchmarks.cache;

import java.util.Random;

/**
 * The entries every cache of a trial holds: {@code size} keys containing the trial's tag, each with a value of
 * {@value #VALUE_LENGTH} ASCII characters, made before the measurement (so no benchmark allocates them).
 *
 * @param keys the keys
 * @param values the values, by the keys' index
 */
public record Entries(String[] keys, String[] values) {

  /** The length of every value, in characters (and in UTF-8 bytes). */
  public static final int VALUE_LENGTH = 64;

  /**
   * Makes the entries.
   *
   * @param tag a string every key contains (a given Redis is cleaned up by it)
   * @param size how many entries
   * @return the entries
   */
  public static Entries of(String tag, int size) {
    String[] keys = new String[size];
    String[] values = new String[size];
    Random random = new Random(size);
    for (int i = 0; i < size; i++) {
      keys[i] = tag + ":key-" + i;
      StringBuilder value = new StringBuilder(VALUE_LENGTH);
      while (value.length() < VALUE_LENGTH) {
        value.append((char) ('a' + random.nextInt(26)));
      }
      values[i] = value.toString();
    }
    return new Entries(keys, values);
  }

  /**
   * How many entries.
   *
   * @return the number of keys
   */
  public int size() {
    return keys.length;
  }
}
