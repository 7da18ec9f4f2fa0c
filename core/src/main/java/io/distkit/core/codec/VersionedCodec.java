package io.distkit.core.codec;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * A codec whose stored bytes start with a format version: the library-wide convention for every value distkit
 * stores. Byte 0 is the version (1 to 255; formats start at 1), the rest is the wrapped codec's encoding.
 *
 * <p>When a format changes, the new release writes the next version and keeps reading the old one with
 * {@link #alsoReads(int, Codec)}; a release that meets a version it does not know throws
 * {@link UnknownFormatException}, which says whether the value is newer or older than what it reads, rather
 * than guessing from the bytes' length or shape.
 *
 * <pre>{@code
 * static final Codec<Entry> ENTRY = VersionedCodec.of(2, new EntryCodecV2())
 *     .alsoReads(1, new EntryCodecV1());
 * }</pre>
 *
 * <p>Lua scripts that read such values check the first byte with the {@code FORMAT} prelude
 * ({@code distkit_format(raw)}, see {@code io.distkit.core.redis.LuaPrelude}). Cost: one byte per value and
 * one array copy per encode and decode. Immutable and thread-safe if the wrapped codecs are.
 *
 * @param <T> the type of values
 */
public final class VersionedCodec<T> implements Codec<T> {

  /** The first format version of anything distkit stores. */
  public static final int FIRST_VERSION = 1;

  private static final int MAX_VERSION = 255;

  private final int version;
  private final Codec<T> writer;
  /** Readers by version; null where a version is not read. */
  private final @Nullable Codec<T>[] readers;

  private VersionedCodec(int version, Codec<T> writer, @Nullable Codec<T>[] readers) {
    this.version = version;
    this.writer = writer;
    this.readers = readers;
  }

  /**
   * A codec that writes and reads one version.
   *
   * @param version the format version written, 1 to 255
   * @param codec encodes the value after the version byte
   * @param <T> the type of values
   * @return the codec
   */
  @SuppressWarnings("unchecked")
  public static <T> VersionedCodec<T> of(int version, Codec<T> codec) {
    checkVersion(version);
    Objects.requireNonNull(codec, "codec");
    @Nullable Codec<T>[] readers = new Codec[MAX_VERSION + 1];
    readers[version] = codec;
    return new VersionedCodec<>(version, codec, readers);
  }

  /**
   * This codec, also reading an older (or other) version.
   *
   * @param otherVersion a version other than the one written, 1 to 255
   * @param reader decodes values of that version
   * @return a new codec
   */
  public VersionedCodec<T> alsoReads(int otherVersion, Codec<T> reader) {
    checkVersion(otherVersion);
    Objects.requireNonNull(reader, "reader");
    if (otherVersion == version) {
      throw new IllegalArgumentException("otherVersion (" + otherVersion + ") is the version this codec writes");
    }
    @Nullable Codec<T>[] more = Arrays.copyOf(readers, readers.length);
    more[otherVersion] = reader;
    return new VersionedCodec<>(version, writer, more);
  }

  private static void checkVersion(int version) {
    if (version < FIRST_VERSION || version > MAX_VERSION) {
      throw new IllegalArgumentException("version (" + version + ") must be 1 to 255");
    }
  }

  @Override
  public byte[] encode(T value) {
    byte[] payload = writer.encode(value);
    byte[] stored = new byte[payload.length + 1];
    stored[0] = (byte) version;
    System.arraycopy(payload, 0, stored, 1, payload.length);
    return stored;
  }

  @Override
  public T decode(byte[] bytes) {
    Codec<T> reader = readerFor(bytes);
    return reader.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
  }

  private Codec<T> readerFor(byte[] bytes) {
    if (bytes.length == 0) {
      throw new CodecException("Cannot decode an empty value: a stored value starts with its format version", null);
    }
    int found = bytes[0] & 0xff;
    Codec<T> reader = readers[found];
    if (reader != null) {
      return reader;
    }
    String age = found > version ? "newer than this code, which writes version " + version
        : "not among the versions this code reads";
    throw new UnknownFormatException("Cannot decode " + CodecException.describe(bytes) + ": format version "
        + found + " is " + age + " (reads " + readable() + ")", found);
  }

  /**
   * The format version of stored bytes, without decoding them.
   *
   * @param stored bytes written by a versioned codec
   * @return the first byte, 1 to 255
   * @throws CodecException when empty or 0
   */
  public static int versionOf(byte[] stored) {
    if (stored.length == 0 || stored[0] == 0) {
      throw new CodecException("Cannot read a format version from " + CodecException.describe(stored)
          + ": a stored value starts with its format version, 1 to 255", null);
    }
    return stored[0] & 0xff;
  }

  /**
   * The version this codec writes.
   *
   * @return 1 to 255
   */
  public int version() {
    return version;
  }

  private String readable() {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (int v = FIRST_VERSION; v <= MAX_VERSION; v++) {
      if (readers[v] != null) {
        out.add(Integer.toString(v));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "VersionedCodec[writes " + version + " with " + writer + ", reads " + readable() + "]";
  }
}
