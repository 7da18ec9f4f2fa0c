package io.distkit.core.codec;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values into bytes and back, for storing them in Redis.
 *
 * <p>A codec must be thread-safe and a true round trip: {@code decode(encode(v))} equals {@code v}. It must
 * reject what it can not represent with a {@link CodecException} rather than store something else: the
 * built-in UTF-8 codec refuses strings with unpaired surrogates instead of writing {@code '?'}.
 *
 * <p>distkit never uses Java serialization. For your own types, write a codec over the format you already
 * use (JSON, protobuf...).
 *
 * <p>Every value distkit stores carries a format version: wrap a codec in {@link #versioned(int)} (or build a
 * {@link VersionedCodec} that also reads older versions) so that a later format is recognised, not guessed.
 *
 * @param <T> the type of values
 */
public interface Codec<T> {

  /**
   * Encodes a value.
   *
   * @param value the value, never null
   * @return its bytes; the caller owns the array
   * @throws CodecException when the value can not be represented faithfully
   */
  byte[] encode(T value);

  /**
   * Decodes bytes produced by {@link #encode}.
   *
   * @param bytes the stored bytes; not modified
   * @return the value
   * @throws CodecException when the bytes are not a valid encoding
   */
  T decode(byte[] bytes);

  /**
   * This codec behind a format version byte: the default for anything a module stores.
   *
   * @param version the format version written, 1 to 255 (start at {@link VersionedCodec#FIRST_VERSION})
   * @return a {@link VersionedCodec} that writes and reads that version
   */
  default VersionedCodec<T> versioned(int version) {
    return VersionedCodec.of(version, this);
  }

  /**
   * A codec for another type, stored as this codec stores the values it is mapped to: for a type with a
   * text or byte form of its own, e.g. {@code Codec.utf8().as(Server::parse, Server::nodeId)}.
   *
   * <p>The two functions must be inverses ({@code decoded.apply(encoded.apply(u))} equals {@code u}); an
   * exception either throws becomes a {@link CodecException} naming the value.
   *
   * @param decoded turns a value this codec decoded into the new type
   * @param encoded turns a value of the new type into one this codec encodes
   * @param <U> the new type
   * @return the mapped codec
   */
  default <U> Codec<U> as(Function<? super T, ? extends U> decoded, Function<? super U, ? extends T> encoded) {
    Objects.requireNonNull(decoded, "decoded");
    Objects.requireNonNull(encoded, "encoded");
    return new MappedCodec<>(this, decoded, encoded);
  }

  /**
   * Strings as strict UTF-8: encoding rejects unpaired surrogates, decoding rejects malformed bytes.
   *
   * @return the shared UTF-8 string codec
   */
  static Codec<String> utf8() {
    return Utf8Codec.INSTANCE;
  }

  /**
   * Byte arrays as they are. No copies: {@code encode} and {@code decode} return their argument.
   *
   * @return the shared identity codec
   */
  static Codec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * Longs as decimal ASCII ({@code 42L} is {@code "42"}), so Redis commands and Lua scripts can do arithmetic
   * on the stored values ({@code INCRBY}, {@code tonumber}).
   *
   * @return the shared long codec
   */
  static Codec<Long> longs() {
    return LongCodec.INSTANCE;
  }
}
