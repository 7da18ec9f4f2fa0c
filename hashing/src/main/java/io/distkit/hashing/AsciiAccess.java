package io.distkit.hashing;

import java.nio.ByteOrder;
import net.openhft.hashing.Access;

/**
 * Reads an ASCII-only string as the bytes of its UTF-8 encoding (which for ASCII are its chars), so a string
 * key is hashed without encoding it into a new array.
 *
 * <p>Only valid for strings whose chars are all below {@code 0x80}; {@code Utf8.isAscii} checks.
 * Reads little-endian, the order XXH3 asks for, so it never needs a reversed view.
 */
final class AsciiAccess extends Access<String> {

  static final AsciiAccess INSTANCE = new AsciiAccess();

  private AsciiAccess() {}

  @Override
  public long getLong(String input, long offset) {
    int i = (int) offset;
    return (input.charAt(i) & 0xffL)
        | (input.charAt(i + 1) & 0xffL) << 8
        | (input.charAt(i + 2) & 0xffL) << 16
        | (input.charAt(i + 3) & 0xffL) << 24
        | (input.charAt(i + 4) & 0xffL) << 32
        | (input.charAt(i + 5) & 0xffL) << 40
        | (input.charAt(i + 6) & 0xffL) << 48
        | (input.charAt(i + 7) & 0xffL) << 56;
  }

  @Override
  public long getUnsignedInt(String input, long offset) {
    return getInt(input, offset) & 0xffffffffL;
  }

  @Override
  public int getInt(String input, long offset) {
    int i = (int) offset;
    return (input.charAt(i) & 0xff)
        | (input.charAt(i + 1) & 0xff) << 8
        | (input.charAt(i + 2) & 0xff) << 16
        | (input.charAt(i + 3) & 0xff) << 24;
  }

  @Override
  public int getUnsignedShort(String input, long offset) {
    int i = (int) offset;
    return (input.charAt(i) & 0xff) | (input.charAt(i + 1) & 0xff) << 8;
  }

  @Override
  public int getUnsignedByte(String input, long offset) {
    return input.charAt((int) offset) & 0xff;
  }

  @Override
  public int getByte(String input, long offset) {
    return (byte) input.charAt((int) offset);
  }

  @Override
  public ByteOrder byteOrder(String input) {
    return ByteOrder.LITTLE_ENDIAN;
  }

  @Override
  protected Access<String> reverseAccess() {
    // XXH3 asks for little-endian, which this already is; a big-endian view is never requested
    throw new UnsupportedOperationException("AsciiAccess reads little-endian only");
  }
}
