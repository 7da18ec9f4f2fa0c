package io.distkit.hashing;

/**
 * Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014).
 *
 * <p>The floating-point steps are written in the order Guava's {@code Hashing.consistentHash(long, int)}
 * uses, so the two agree on every input (a test checks).
 */
final class JumpHash {

  private static final long LCG_MULTIPLIER = 2862933555777941757L;

  private JumpHash() {}

  /**
   * The bucket of a key.
   *
   * @param key the key (already hashed: the generator is seeded with it)
   * @param buckets how many buckets, at least 1
   * @return a bucket in {@code [0, buckets)}
   */
  public static int bucket(long key, int buckets) {
    long state = key;
    int candidate = 0;
    while (true) {
      state = LCG_MULTIPLIER * state + 1;
      // a uniform double in (0, 1], from the generator's top 31 bits
      double uniform = ((double) ((int) (state >>> 33) + 1)) / 0x1.0p31;
      int next = (int) ((candidate + 1) / uniform);
      if (next >= 0 && next < buckets) {
        candidate = next;
      } else {
        return candidate;
      }
    }
  }
}
