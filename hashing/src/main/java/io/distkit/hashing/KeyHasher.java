package io.distkit.hashing;

/**
 * Turns a key into the number a locator places on its ring, table or buckets.
 *
 * <p>The three key types agree: a {@code String} hashes as its UTF-8 bytes and a {@code long} as its eight
 * little-endian bytes, so {@code hash("k") == hash("k".getBytes(UTF_8))} on every platform.
 *
 * <p>Implementations are thread-safe.
 */
interface KeyHasher {

  /**
   * Hashes a string as its UTF-8 bytes (an unpaired surrogate counts as {@code '?'}, as in
   * {@link String#getBytes(java.nio.charset.Charset)}).
   *
   * @param key the key
   * @return its hash
   */
  long hash(String key);

  /**
   * Hashes bytes.
   *
   * @param key the key; not modified
   * @return its hash
   */
  long hash(byte[] key);

  /**
   * Hashes a long as its eight little-endian bytes.
   *
   * @param key the key
   * @return its hash
   */
  long hash(long key);
}
