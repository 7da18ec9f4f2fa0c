package io.distkit.hashing;

/**
 * Reads an ASCII-only string as the bytes of its UTF-8 encoding (which for ASCII are its chars), so a string
 * key is hashed without encoding it into a new array.
 *
 * <p>Only valid for strings whose chars are all below {@code 0x80}; {@code Utf8.isAscii(String)} checks.
 * Reads little-endian, the order XXH3 asks for. Not API.
 */
final class AsciiAccess extends ByteAccess<String> {

  /** The one instance. */
  static final AsciiAccess INSTANCE = new AsciiAccess();

  private AsciiAccess() {}

  @Override
  long getLong(String input, int offset) {
    return getUnsignedInt(input, offset) | getUnsignedInt(input, offset + 4) << 32;
  }

  @Override
  long getUnsignedInt(String input, int offset) {
    return (input.charAt(offset) & 0xffL)
        | (input.charAt(offset + 1) & 0xffL) << 8
        | (input.charAt(offset + 2) & 0xffL) << 16
        | (input.charAt(offset + 3) & 0xffL) << 24;
  }

  @Override
  int getUnsignedByte(String input, int offset) {
    return input.charAt(offset) & 0xff;
  }
}
