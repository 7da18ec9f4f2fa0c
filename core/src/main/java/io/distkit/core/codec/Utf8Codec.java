package io.distkit.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** {@link Codec#utf8()}. */
enum Utf8Codec implements Codec<String> {
  INSTANCE;

  private static final char REPLACEMENT = '\uFFFD';

  @Override
  public byte[] encode(String value) {
    Objects.requireNonNull(value, "value");
    // String.getBytes would silently turn an unpaired surrogate into '?': refuse instead
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          throw new CodecException("Cannot encode " + CodecException.describe(value)
              + " as UTF-8: unpaired surrogate U+" + Integer.toHexString(c).toUpperCase() + " at index " + i, null);
        }
        i++;
      }
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    if (lenient.indexOf(REPLACEMENT) < 0) {
      return lenient;
    }
    // a U+FFFD is either real (the bytes EF BF BD) or the decoder hiding malformed input: ask strictly
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CodecException("Cannot decode " + CodecException.describe(bytes) + " as UTF-8: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "Codec.utf8()";
  }
}
