package io.distkit.benchmarks.hashing;

import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.internal.Utf8;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.openhft.hashing.Access;
import net.openhft.hashing.LongHashFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * distkit's own XXH3 (64-bit, seed 0: the key hash of every locator but KETAMA) beside OpenHFT
 * zero-allocation-hashing's {@code LongHashFunction.xx3()}, which distkit used before: same inputs, same
 * results (the hashing module's {@code Xxh3Test} checks every length to 4,096 bytes).
 */
@ReportGroup(
    title = "XXH3 key hash",
    about = "Hashes per microsecond, one thread, cycling through 1,024 random keys of each kind: `long` (eight "
        + "little-endian bytes), `bytes-N` (a `byte[]` of N bytes), `ascii-N` (a `String` of N ASCII chars, "
        + "read in place after a check that it is ASCII). `distkit-xxh3` is a locator's public `hash(key)`, the "
        + "hash its lookups use; `zero-allocation-hashing` is `LongHashFunction.xx3()` called the way distkit "
        + "called it before: `hashLong`, `hashBytes`, and `hash(key, asciiAccess, 0, length)` after the same "
        + "ASCII check.")
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Xxh3Benchmark {

  /** distkit's XXH3, through a locator's {@code hash(key)}. */
  public static final String DISTKIT = "distkit-xxh3";

  /** OpenHFT zero-allocation-hashing's XXH3. */
  public static final String ZERO_ALLOCATION_HASHING = "zero-allocation-hashing";

  private static final int KEYS = 1 << 10;

  /** The hash under test. */
  @Param({DISTKIT, ZERO_ALLOCATION_HASHING})
  public String implementation;

  /** The kind and length of the keys: {@code long}, {@code bytes-N} or {@code ascii-N}. */
  @Param({"long", "bytes-8", "bytes-16", "bytes-32", "bytes-64", "bytes-200", "bytes-1000",
      "ascii-8", "ascii-16", "ascii-32", "ascii-64", "ascii-200", "ascii-1000"})
  public String key;

  private KeyHash hash;
  private int next;

  /** One way of hashing the key at an index of the trial's keys. */
  @FunctionalInterface
  private interface KeyHash {
    long of(int index);
  }

  /** Makes the keys and picks the hash. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    boolean ours = implementation.equals(DISTKIT);
    if (!ours && !implementation.equals(ZERO_ALLOCATION_HASHING)) {
      throw new IllegalArgumentException("Unknown implementation: " + implementation);
    }
    LongHashFunction theirs = LongHashFunction.xx3();
    // a locator's public hash(key) is the XXH3 (seed 0) its lookups use
    NodeLocator<Node> distkit = LocatorConfig.jump().locator(List.of(Node.of("a")));
    if (key.equals("long")) {
      long[] keys = random.longs(KEYS).toArray();
      // zero-allocation-hashing reads the long in native order; distkit always reads it little-endian
      boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
      hash = ours ? i -> distkit.hash(keys[i])
          : i -> theirs.hashLong(little ? keys[i] : Long.reverseBytes(keys[i]));
      return;
    }
    int length = Integer.parseInt(key.substring(key.indexOf('-') + 1));
    if (key.startsWith("bytes-")) {
      byte[][] keys = new byte[KEYS][length];
      for (byte[] k : keys) {
        random.nextBytes(k);
      }
      hash = ours ? i -> distkit.hash(keys[i]) : i -> theirs.hashBytes(keys[i]);
    } else if (key.startsWith("ascii-")) {
      String[] keys = new String[KEYS];
      for (int k = 0; k < KEYS; k++) {
        keys[k] = random.ints(length, 0x21, 0x7f)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
      }
      hash = ours ? i -> distkit.hash(keys[i]) : i -> theirsAscii(theirs, keys[i]);
    } else {
      throw new IllegalArgumentException("Unknown key kind: " + key);
    }
  }

  /** How distkit hashed a string with zero-allocation-hashing (every benchmark key is ASCII). */
  private static long theirsAscii(LongHashFunction xx3, String key) {
    if (!Utf8.isAscii(key)) {
      throw new IllegalStateException("not an ASCII key");
    }
    return xx3.hash(key, AsciiStringAccess.INSTANCE, 0, key.length());
  }

  /**
   * One hash.
   *
   * @return the hash, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public long hash() {
    return hash.of(next++ & (KEYS - 1));
  }

  /** zero-allocation-hashing's view of an ASCII string as its bytes, little-endian, read in place. */
  private static final class AsciiStringAccess extends Access<String> {

    static final AsciiStringAccess INSTANCE = new AsciiStringAccess();

    @Override
    public long getLong(String input, long offset) {
      return getUnsignedInt(input, offset) | getUnsignedInt(input, offset + 4) << 32;
    }

    @Override
    public long getUnsignedInt(String input, long offset) {
      return getInt(input, offset) & 0xffffffffL;
    }

    @Override
    public int getInt(String input, long offset) {
      return getUnsignedShort(input, offset) | getUnsignedShort(input, offset + 2) << 16;
    }

    @Override
    public int getUnsignedShort(String input, long offset) {
      return getUnsignedByte(input, offset) | getUnsignedByte(input, offset + 1) << 8;
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
      throw new UnsupportedOperationException("little-endian only");
    }
  }
}
