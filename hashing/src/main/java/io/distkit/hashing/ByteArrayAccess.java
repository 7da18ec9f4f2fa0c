package io.distkit.hashing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a byte array little-endian, whatever the platform's order, through array views (no {@code Unsafe}).
 * Not API.
 */
final class ByteArrayAccess extends ByteAccess<byte[]> {

  /** The one instance. */
  static final ByteArrayAccess INSTANCE = new ByteArrayAccess();

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private ByteArrayAccess() {}

  @Override
  long getLong(byte[] input, int offset) {
    return (long) LONG.get(input, offset);
  }

  @Override
  long getUnsignedInt(byte[] input, int offset) {
    return (int) INT.get(input, offset) & 0xffffffffL;
  }

  @Override
  int getUnsignedByte(byte[] input, int offset) {
    return input[offset] & 0xff;
  }
}
