package io.distkit.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * UTF-8 lengths and encoding into a caller's buffer, without allocating (key limits, key hashing).
 *
 * <p>Encodes exactly as {@code String.getBytes(UTF_8)} does, including its replacement of an unpaired
 * surrogate by {@code '?'}, so a string key and its bytes always hash alike. Text that becomes a Redis key goes
 * through {@link #wellFormedLength(String, String)} first: an unpaired surrogate has no UTF-8 form, and
 * encoding it as {@code '?'} would merge distinct keys ({@code "a\uD800"}, {@code "a\uDC00"} and
 * {@code "a?"}). Not API.
 */
public final class Utf8 {

  /** Per-thread buffers above this size are not kept: a rare huge key should not pin memory. */
  private static final int MAX_KEPT_BUFFER = 4096;

  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

  private Utf8() {}

  /**
   * Whether every char is below {@code 0x80}, so that the string's chars are its UTF-8 bytes.
   *
   * @param s any string
   * @return true for ASCII-only strings (and the empty string)
   */
  public static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * The length of a string's UTF-8 encoding.
   *
   * @param s any string
   * @return the number of bytes {@code s.getBytes(UTF_8)} would have
   */
  public static int encodedLength(String s) {
    return length(s, null);
  }

  /**
   * The length of a string's UTF-8 encoding, refusing text that has none: an unpaired surrogate.
   *
   * @param s any string
   * @param label what the caller calls it, for the message, e.g. {@code "key"}
   * @return the number of bytes {@code s.getBytes(UTF_8)} has
   * @throws IllegalArgumentException naming the value and the index when {@code s} holds an unpaired surrogate
   */
  public static int wellFormedLength(String s, String label) {
    return length(s, label);
  }

  /** The UTF-8 length; an unpaired surrogate counts as '?' when {@code strictLabel} is null, else throws. */
  private static int length(String s, @Nullable String strictLabel) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (!Character.isSurrogate(c)) {
        bytes += 3;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (strictLabel == null) {
        bytes += 1; // '?', as String.getBytes writes it
      } else {
        throw new IllegalArgumentException(strictLabel + " (" + Quote.of(s) + ") holds an unpaired surrogate U+"
            + String.format("%04X", (int) c) + " at index " + i + ": it has no UTF-8 form (encoding it as '?' "
            + "would give distinct " + strictLabel + "s one Redis key)");
      }
    }
    return bytes;
  }

  /**
   * A buffer of at least {@code length} bytes: this thread's reused one, or a new one for a huge key.
   *
   * @param length the bytes needed
   * @return a buffer the caller may overwrite until its next call on this thread
   */
  public static byte[] scratch(int length) {
    byte[] buffer = SCRATCH.get();
    if (buffer.length >= length) {
      return buffer;
    }
    byte[] bigger = new byte[Math.max(length, buffer.length * 2)];
    if (bigger.length <= MAX_KEPT_BUFFER) {
      SCRATCH.set(bigger);
    }
    return bigger;
  }

  /**
   * Encodes a string into {@code into}, which must hold {@link #encodedLength(String)} bytes.
   *
   * @param s the string
   * @param into the destination, written from index 0
   * @return the number of bytes written
   */
  public static int encode(String s, byte[] into) {
    return encode(s, into, 0);
  }

  /**
   * Encodes a string into {@code into} from an offset; the array must hold {@link #encodedLength(String)}
   * bytes from there.
   *
   * @param s the string
   * @param into the destination
   * @param offset the index of the first byte written
   * @return the index after the last byte written
   */
  public static int encode(String s, byte[] into, int offset) {
    int n = offset;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        into[n++] = (byte) c;
      } else if (c < 0x800) {
        into[n++] = (byte) (0xc0 | c >> 6);
        into[n++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        into[n++] = (byte) (0xf0 | cp >> 18);
        into[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
        into[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
        into[n++] = (byte) (0x80 | cp & 0x3f);
      } else if (Character.isSurrogate(c)) {
        into[n++] = '?';
      } else {
        into[n++] = (byte) (0xe0 | c >> 12);
        into[n++] = (byte) (0x80 | c >> 6 & 0x3f);
        into[n++] = (byte) (0x80 | c & 0x3f);
      }
    }
    return n;
  }
}
