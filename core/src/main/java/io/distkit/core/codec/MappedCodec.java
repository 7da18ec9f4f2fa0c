package io.distkit.core.codec;

import java.util.Objects;
import java.util.function.Function;

/** {@link Codec#as(Function, Function)}. */
final class MappedCodec<T, U> implements Codec<U> {

  private final Codec<T> inner;
  private final Function<? super T, ? extends U> decoded;
  private final Function<? super U, ? extends T> encoded;

  MappedCodec(Codec<T> inner, Function<? super T, ? extends U> decoded, Function<? super U, ? extends T> encoded) {
    this.inner = inner;
    this.decoded = decoded;
    this.encoded = encoded;
  }

  @Override
  public byte[] encode(U value) {
    Objects.requireNonNull(value, "value");
    T mapped;
    try {
      mapped = encoded.apply(value);
    } catch (RuntimeException e) {
      throw new CodecException("Cannot encode " + value + ": " + e, e);
    }
    if (mapped == null) {
      throw new CodecException("Cannot encode " + value + ": it maps to null", null);
    }
    return inner.encode(mapped);
  }

  @Override
  public U decode(byte[] bytes) {
    T value = inner.decode(bytes);
    U result;
    try {
      result = decoded.apply(value);
    } catch (RuntimeException e) {
      throw new CodecException("Cannot decode " + CodecException.describe(bytes) + ": " + e, e);
    }
    if (result == null) {
      throw new CodecException("Cannot decode " + CodecException.describe(bytes) + ": it maps to null", null);
    }
    return result;
  }

  @Override
  public String toString() {
    return inner + ".as(...)";
  }
}
