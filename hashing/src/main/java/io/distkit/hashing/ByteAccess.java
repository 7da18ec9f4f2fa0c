package io.distkit.hashing;

/**
 * Reads an input of type {@code T} as little-endian bytes, so that {@link Xxh3} hashes a byte array and an
 * ASCII string in place with one piece of code.
 *
 * <p>Callers pass offsets inside the input; implementations do not check more than the input itself does.
 * Not API. Implementations are stateless and thread-safe.
 *
 * @param <T> the input type
 */
abstract sealed class ByteAccess<T> permits ByteArrayAccess, AsciiAccess {

  ByteAccess() {}

  /**
   * Eight bytes as a little-endian long.
   *
   * @param input the input
   * @param offset the index of the first byte
   * @return the bytes {@code offset} to {@code offset + 7}, the first in the lowest bits
   */
  abstract long getLong(T input, int offset);

  /**
   * Four bytes as an unsigned little-endian int.
   *
   * @param input the input
   * @param offset the index of the first byte
   * @return the bytes {@code offset} to {@code offset + 3}, from 0 to 2^32 - 1
   */
  abstract long getUnsignedInt(T input, int offset);

  /**
   * One byte, unsigned.
   *
   * @param input the input
   * @param offset its index
   * @return from 0 to 255
   */
  abstract int getUnsignedByte(T input, int offset);
}
