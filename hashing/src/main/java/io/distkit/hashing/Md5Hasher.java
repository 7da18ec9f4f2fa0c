package io.distkit.hashing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ketama key hash as libmemcached computes it: the first four bytes of the key's MD5, read little-endian,
 * as an unsigned 32-bit number.
 *
 * <p>For compatibility, not speed: MD5 is slow and this allocates.
 */
enum Md5Hasher implements KeyHasher {
  /** The one instance. */
  INSTANCE;

  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(Md5Hasher::newDigest);

  @Override
  public long hash(String key) {
    return hash(key.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public long hash(byte[] key) {
    return word(digest(key), 0);
  }

  @Override
  public long hash(long key) {
    byte[] bytes = new byte[8];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (key >>> (8 * i));
    }
    return hash(bytes);
  }

  /**
   * The MD5 digest of some bytes.
   *
   * @param bytes the input
   * @return 16 bytes
   */
  public static byte[] digest(byte[] bytes) {
    MessageDigest md5 = MD5.get();
    md5.reset();
    return md5.digest(bytes);
  }

  /**
   * One of the four little-endian 32-bit words of a digest, unsigned.
   *
   * @param digest 16 bytes
   * @param word 0 to 3
   * @return the word, in {@code [0, 2^32)}
   */
  public static long word(byte[] digest, int word) {
    int i = word * 4;
    return (digest[i] & 0xffL) | (digest[i + 1] & 0xffL) << 8 | (digest[i + 2] & 0xffL) << 16
        | (digest[i + 3] & 0xffL) << 24;
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }
}
