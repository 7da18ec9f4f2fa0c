package io.distkit.core.codec;

import io.distkit.core.DistkitException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A value could not be encoded, or stored bytes could not be decoded. */
public class CodecException extends DistkitException {

  private static final int SHOWN_BYTES = 32;

  /**
   * Creates the exception.
   *
   * @param message what could not be encoded or decoded, and why
   * @param cause the underlying failure, if any
   */
  public CodecException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * A short, printable rendering of bytes for messages: at most the first 32, as hex.
   *
   * @param bytes the bytes to show
   * @return e.g. {@code "3 bytes [61 ff 62]"}
   */
  static String describe(byte[] bytes) {
    StringBuilder out = new StringBuilder().append(bytes.length).append(" bytes [");
    int shown = Math.min(bytes.length, SHOWN_BYTES);
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(String.format("%02x", bytes[i] & 0xff));
    }
    if (shown < bytes.length) {
      out.append(" ...");
    }
    return out.append(']').toString();
  }

  /**
   * Quotes the start of a text for messages.
   *
   * @param text any text
   * @return the text, or its first 32 characters followed by an ellipsis
   */
  static String describe(String text) {
    return text.length() <= SHOWN_BYTES ? "'" + text + "'" : "'" + text.substring(0, SHOWN_BYTES) + "...'";
  }

  static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
