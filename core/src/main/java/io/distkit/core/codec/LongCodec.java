package io.distkit.core.codec;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** {@link Codec#longs()}. */
enum LongCodec implements Codec<Long> {
  INSTANCE;

  /** Sign plus 19 digits. */
  private static final int MAX_LENGTH = 20;

  @Override
  public byte[] encode(Long value) {
    Objects.requireNonNull(value, "value");
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public Long decode(byte[] bytes) {
    if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
      throw notALong(bytes, null);
    }
    for (byte b : bytes) {
      // Long.parseLong also accepts '+' and non-ASCII digits; a stored long is only ever [-]digits
      if (!(b >= '0' && b <= '9') && b != '-') {
        throw notALong(bytes, null);
      }
    }
    try {
      return Long.parseLong(CodecException.ascii(bytes));
    } catch (NumberFormatException e) {
      throw notALong(bytes, e);
    }
  }

  private static CodecException notALong(byte[] bytes, @Nullable NumberFormatException cause) {
    return new CodecException("Cannot decode " + CodecException.describe(bytes)
        + " as a long: expected decimal ASCII digits with an optional leading '-'", cause);
  }

  @Override
  public String toString() {
    return "Codec.longs()";
  }
}
