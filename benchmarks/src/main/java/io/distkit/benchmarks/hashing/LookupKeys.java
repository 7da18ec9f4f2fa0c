package io.distkit.benchmarks.hashing;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The keys a lookup benchmark cycles through: random user ids, each with its 64-bit hash computed once,
 * outside the measurement. A power-of-two count, so the next index is a mask, not a division.
 */
public final class LookupKeys {

  private final String[] keys;
  private final long[] hashes;

  /**
   * Random keys, the same for every implementation of a run.
   *
   * @param seed fixes the keys
   * @param count how many, a power of two: 16,384 are enough that the branch predictor cannot learn them and
   *     few enough that keys and tables stay in cache; 65,536 push large tables out of it
   */
  public LookupKeys(long seed, int count) {
    if (Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count (" + count + ") must be a power of two");
    }
    keys = new String[count];
    hashes = new long[count];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      keys[i] = "user:" + Long.toHexString(random.nextLong());
      hashes[i] = hash(keys[i]);
    }
  }

  /**
   * The 64-bit hash every locator that takes a hash is given: the first 64 bits of MurmurHash3 (x64, 128) of
   * the key's UTF-8 bytes.
   *
   * @param key the key
   * @return its hash
   */
  public static long hash(String key) {
    return Hashing.murmur3_128().hashString(key, StandardCharsets.UTF_8).asLong();
  }

  /**
   * The key at an index.
   *
   * @param index from 0 to {@link #count()}, exclusive
   * @return the key
   */
  public String key(int index) {
    return keys[index];
  }

  /**
   * The hash of the key at an index.
   *
   * @param index from 0 to {@link #count()}, exclusive
   * @return the key's {@link #hash(String)}
   */
  public long hash(int index) {
    return hashes[index];
  }

  /**
   * How many keys.
   *
   * @return a power of two
   */
  public int count() {
    return keys.length;
  }
}
