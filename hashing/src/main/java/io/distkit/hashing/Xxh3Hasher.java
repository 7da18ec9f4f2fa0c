package io.distkit.hashing;

import io.distkit.core.internal.Utf8;
import java.nio.ByteOrder;
import net.openhft.hashing.LongHashFunction;

/**
 * XXH3, 64-bit, seed 0 (OpenHFT zero-allocation-hashing): the key hash of every locator but ketama.
 *
 * <p>Allocation-free for ASCII strings (read in place) and longs; other strings are encoded into a per-thread
 * buffer.
 */
enum Xxh3Hasher implements KeyHasher {
  /** The one instance. */
  INSTANCE;

  private static final LongHashFunction XXH3 = LongHashFunction.xx3();

  /** {@code hashLong} reads the long in native order; we promise little-endian on every platform. */
  private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  @Override
  public long hash(String key) {
    if (Utf8.isAscii(key)) {
      return XXH3.hash(key, AsciiAccess.INSTANCE, 0, key.length());
    }
    int length = Utf8.encodedLength(key);
    byte[] buffer = Utf8.scratch(length);
    Utf8.encode(key, buffer);
    return XXH3.hashBytes(buffer, 0, length);
  }

  @Override
  public long hash(byte[] key) {
    return XXH3.hashBytes(key);
  }

  @Override
  public long hash(long key) {
    return XXH3.hashLong(NATIVE_LITTLE_ENDIAN ? key : Long.reverseBytes(key));
  }

  /**
   * Hashes a range of bytes, for building ring points and node seeds.
   *
   * @param bytes the bytes
   * @param seed the XXH3 seed
   * @return the hash
   */
  public static long hash(byte[] bytes, long seed) {
    return LongHashFunction.xx3(seed).hashBytes(bytes);
  }
}
