package io.distkit.hashing.redis;

import io.distkit.core.DistkitException;
import io.distkit.core.internal.Quote;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A value as {@link RedisShardRouter} stores it on each replica, format 1:
 *
 * <pre>
 * byte  0       format version, 1
 * bytes 1 - 8   version: a hybrid logical clock, big-endian (the writer's epoch milliseconds × 2^16 + a counter)
 * bytes 9 - 16  writer id, big-endian (random per router)
 * byte  17      kind: 0 a value, 1 a tombstone (the key was deleted)
 * bytes 18 -    the value (none for a tombstone)
 * </pre>
 *
 * <p>Bytes 1 to 16, compared as one unsigned number, order the writes of a key: the larger is newer. The script
 * {@code versioned_value.lua} compares them the same way, byte by byte.
 *
 * @param version the writer's hybrid logical clock when it wrote
 * @param writer the writer's id, which breaks ties between equal versions
 * @param tombstone whether this records a delete
 * @param stored the whole stored value, header included
 */
record VersionedValue(long version, long writer, boolean tombstone, byte[] stored) {

  /** The format version this release writes and reads. */
  static final byte FORMAT = 1;

  /** Bytes before the value. */
  static final int HEADER = 18;

  /**
   * A new stored value.
   *
   * @param version the writer's clock
   * @param writer the writer's id
   * @param tombstone true for a delete
   * @param value the value; empty for a tombstone
   * @return the value with its header
   */
  static VersionedValue of(long version, long writer, boolean tombstone, byte[] value) {
    byte[] stored = new byte[HEADER + value.length];
    stored[0] = FORMAT;
    putLong(stored, 1, version);
    putLong(stored, 9, writer);
    stored[17] = (byte) (tombstone ? 1 : 0);
    System.arraycopy(value, 0, stored, HEADER, value.length);
    return new VersionedValue(version, writer, tombstone, stored);
  }

  /**
   * Reads a stored value.
   *
   * @param stored what a replica holds
   * @param key the key, for the message
   * @return the value
   * @throws DistkitException when the bytes are not a value of format 1 (another format, or not written by the
   *     router)
   */
  static VersionedValue parse(byte[] stored, String key) {
    if (stored.length < HEADER || stored[0] != FORMAT || (stored[17] & 0xff) > 1) {
      String first = stored.length == 0 ? "none" : Integer.toString(stored[0] & 0xff);
      throw new DistkitException("Key " + Quote.of(key) + " holds " + stored.length + " bytes that are not a "
          + "RedisShardRouter value of format " + FORMAT + " (first byte " + first + ")");
    }
    return new VersionedValue(getLong(stored, 1), getLong(stored, 9), stored[17] == 1, stored);
  }

  /**
   * The version bytes a replica answers with when it refuses an older write: bytes 1 to 16 of its value.
   *
   * @param header 16 bytes
   * @return the version in them
   */
  static long versionOf(byte[] header) {
    return getLong(header, 0);
  }

  /**
   * The writer in a replica's refusal.
   *
   * @param header 16 bytes
   * @return the writer in them
   */
  static long writerOf(byte[] header) {
    return getLong(header, 8);
  }

  /**
   * Whether this write is newer than another (or than nothing).
   *
   * @param other another stored value, or null for none
   * @return true when this one wins
   */
  boolean newerThan(@Nullable VersionedValue other) {
    return other == null || compare(version, writer, other.version, other.writer) > 0;
  }

  /** The order of two writes: by version, then by writer, both unsigned, as the script compares them. */
  static int compare(long version, long writer, long otherVersion, long otherWriter) {
    int byVersion = Long.compareUnsigned(version, otherVersion);
    return byVersion != 0 ? byVersion : Long.compareUnsigned(writer, otherWriter);
  }

  /**
   * The value, without the header.
   *
   * @return a new array
   */
  byte[] value() {
    return Arrays.copyOfRange(stored, HEADER, stored.length);
  }

  private static void putLong(byte[] into, int at, long value) {
    for (int i = 0; i < 8; i++) {
      into[at + i] = (byte) (value >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] from, int at) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = value << 8 | (from[at + i] & 0xffL);
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof VersionedValue other && Arrays.equals(stored, other.stored);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(stored);
  }

  @Override
  public String toString() {
    return (tombstone ? "tombstone" : "value of " + (stored.length - HEADER) + " bytes") + " at version "
        + Long.toUnsignedString(version) + " by writer " + Long.toHexString(writer);
  }
}
