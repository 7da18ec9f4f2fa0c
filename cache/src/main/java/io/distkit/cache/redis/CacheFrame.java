package io.distkit.cache.redis;

import io.distkit.core.codec.CodecException;
import io.distkit.core.codec.UnknownFormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How an entry is stored under its Redis key: a format byte ({@value #FORMAT}), a kind byte (a value, or a
 * remembered absence), the cache epoch it was written in (8 bytes; entries older than the epoch a reader knows
 * were dropped by {@code invalidateAll}), then the value codec's bytes. Anything else under a cache key (a
 * Java-serialized object, another program's data, a truncated write) is refused with a {@link CodecException}:
 * it is never passed to the value codec.
 *
 * @param absent whether this is a remembered "not found"
 * @param epoch the epoch it was written in
 * @param payload the value codec's bytes (empty for an absence)
 */
record CacheFrame(boolean absent, long epoch, byte[] payload) {

  /** The format written, and the only one read. */
  static final int FORMAT = 1;

  private static final byte VALUE = 0;
  private static final byte ABSENT = 1;
  private static final int HEADER = 10;

  /** The stored bytes of a value. */
  static byte[] value(long epoch, byte[] payload) {
    return ByteBuffer.allocate(HEADER + payload.length).put((byte) FORMAT).put(VALUE).putLong(epoch).put(payload)
        .array();
  }

  /** The stored bytes of a remembered absence. */
  static byte[] absence(long epoch) {
    return ByteBuffer.allocate(HEADER).put((byte) FORMAT).put(ABSENT).putLong(epoch).array();
  }

  /**
   * Reads stored bytes.
   *
   * @param stored what Redis held under the key
   * @param key the key, for messages
   * @return the frame
   * @throws CodecException when the bytes are not an entry of this format
   */
  static CacheFrame read(byte[] stored, String key) {
    if (stored.length == 0 || stored[0] != FORMAT) {
      int first = stored.length == 0 ? -1 : stored[0] & 0xff;
      throw new UnknownFormatException("Cache entry " + key + " is not in a cache format this version reads (first "
          + "byte " + (first < 0 ? "none" : String.format("0x%02X", first)) + ", expected 0x01): written by another "
          + "program or a newer distkit; refused, never decoded", first);
    }
    if (stored.length < HEADER || stored[1] != VALUE && stored[1] != ABSENT
        || stored[1] == ABSENT && stored.length != HEADER) {
      throw new CodecException("Cache entry " + key + " is corrupt (" + stored.length + " bytes, kind " + (
          stored.length > 1 ? stored[1] : -1) + "); refused, never decoded", null);
    }
    long epoch = ByteBuffer.wrap(stored, 2, 8).getLong();
    return new CacheFrame(stored[1] == ABSENT, epoch, Arrays.copyOfRange(stored, HEADER, stored.length));
  }
}
