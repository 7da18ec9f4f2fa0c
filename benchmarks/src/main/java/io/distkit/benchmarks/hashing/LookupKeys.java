package io.distkit.benchmarks.hashing;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The keys a lookup benchmark cycles through: random user ids, each with its 64-bit hash computed once,
 * outside the measurement. A power-of-two count, so the next index is a mask, not a division.
 */
public final class LookupKeys {

  /** How many keys: enough that the branch predictor cannot learn them, few enough to stay in cache. */
  public static final int COUNT = 1 << 14;

  private final String[] keys = new String[COUNT];
  private final long[] hashes = new long[COUNT];

  /**
   * Random keys, the same for every implementation of a run.
   *
   * @param seed fixes the keys
   */
  public LookupKeys(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < COUNT; i++) {
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
   * @param index from 0 to {@link #COUNT}, exclusive
   * @return the key
   */
  public String key(int index) {
    return keys[index];
  }

  /**
   * The hash of the key at an index.
   *
   * @param index from 0 to {@link #COUNT}, exclusive
   * @return the key's {@link #hash(String)}
   */
  public long hash(int index) {
    return hashes[index];
  }
}
