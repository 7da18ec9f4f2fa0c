package io.distkit.core.codec;

import java.util.Objects;

/** {@link Codec#bytes()}. */
enum BytesCodec implements Codec<byte[]> {
  INSTANCE;

  @Override
  public byte[] encode(byte[] value) {
    return Objects.requireNonNull(value, "value");
  }

  @Override
  public byte[] decode(byte[] bytes) {
    return bytes;
  }

  @Override
  public String toString() {
    return "Codec.bytes()";
  }
}
