package io.distkit.hashing;

import io.distkit.core.internal.Utf8;

/**
 * XXH3, 64-bit, seed 0 ({@link Xxh3}): the key hash of every locator but ketama.
 *
 * <p>Allocation-free for ASCII strings (read in place), byte arrays and longs; other strings are encoded into a
 * per-thread buffer. Not API.
 */
enum Xxh3Hasher implements KeyHasher {
  /** The one instance. */
  INSTANCE;

  @Override
  public long hash(String key) {
    if (Utf8.isAscii(key)) {
      return Xxh3.hash(AsciiAccess.INSTANCE, key, 0, key.length(), 0);
    }
    int length = Utf8.encodedLength(key);
    byte[] buffer = Utf8.scratch(length);
    Utf8.encode(key, buffer);
    return Xxh3.hash(ByteArrayAccess.INSTANCE, buffer, 0, length, 0);
  }

  @Override
  public long hash(byte[] key) {
    return Xxh3.hash(key, 0);
  }

  @Override
  public long hash(long key) {
    return Xxh3.hashLong(key, 0);
  }

  /**
   * Hashes bytes with a seed, for building ring points and node seeds.
   *
   * @param bytes the bytes
   * @param seed the XXH3 seed
   * @return the hash
   */
  public static long hash(byte[] bytes, long seed) {
    return Xxh3.hash(bytes, seed);
  }
}
