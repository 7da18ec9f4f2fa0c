package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our XXH3 against the reference library's published test vectors and, bit for bit, against OpenHFT
 * zero-allocation-hashing (the implementation distkit used before, whose hashes placed every key): every
 * length from 0 to 4,096 bytes, so every path (0, 1-3, 4-8, 9-16, 17-128, 129-240, stripes, blocks) and
 * every way the last stripe falls, with several seeds, for byte arrays, byte ranges, ASCII strings read in
 * place, and longs.
 */
class Xxh3Test {

  private static final long PRIME32 = 2654435761L;
  private static final long PRIME64 = 0x9E3779B185EBCA8DL; // xxhsum's PRIME64, 11400714785074694797
  private static final int MAX_LENGTH = 4096;
  private static final long[] SEEDS = {0, 1, -1, PRIME64, Long.MIN_VALUE, 0x1234_5678L, 0xFFFF_FFFF_0000_0000L,
      new SplittableRandom(7).nextLong(), new SplittableRandom(8).nextLong()};

  /**
   * The sanity check of xxhsum ({@code cli/xsum_sanity_check.c}, {@code XSUM_XXH3_testdata}): its buffer
   * generator and its expected {@code XXH3_64bits_withSeed} results, one or two lengths per path.
   */
  @ParameterizedTest(name = "length {0}, seed {1}")
  @CsvSource({
      "0, 0, 2D06800538D394C2",
      "0, PRIME64, A8A6B918B2F0364A",
      "1, 0, C44BDFF4074EECDB",
      "1, PRIME64, 032BE332DD766EF8",
      "6, 0, 27B56A84CD2D7325",
      "6, PRIME64, 84589C116AB59AB9",
      "12, 0, A713DAF0DFBB77E7",
      "12, PRIME64, E7303E1B2336DE0E",
      "24, 0, A3FE70BF9D3510EB",
      "24, PRIME64, 850E80FC35BDD690",
      "48, 0, 397DA259ECBA1F11",
      "48, PRIME64, ADC2CBAA44ACC616",
      "80, 0, BCDEFBBB2C47C90A",
      "80, PRIME64, C6DD0CB699532E73",
      "195, 0, CD94217EE362EC3A",
      "195, PRIME64, BA68003D370CB3D9",
      "403, 0, CDEB804D65C6DEA4",
      "403, PRIME64, 6259F6ECFD6443FD",
      "512, 0, 617E49599013CB6B",
      "512, PRIME64, 3CE457DE14C27708",
      "2048, 0, DD59E2C3A5F038E0",
      "2048, PRIME64, 66F81670669ABABC",
      "2240, 0, 6E73A90539CF2948",
      "2240, PRIME64, 757BA8487D1B5247",
      "2367, 0, CB37AEB9E5D361ED",
      "2367, PRIME64, D2DB3415B942B42A",
  })
  void matchesTheReferenceTestVectors(int length, String seedName, String expectedHex) {
    long seed = seedName.equals("PRIME64") ? PRIME64 : Long.parseLong(seedName);
    byte[] buffer = sanityBuffer(length);
    assertThat(Long.toHexString(Xxh3.hash(buffer, seed)))
        .isEqualTo(Long.toHexString(Long.parseUnsignedLong(expectedHex, 16)));
  }

  /** xxhsum's {@code XSUM_fillTestBuffer}: the top byte of a multiplicative sequence. */
  private static byte[] sanityBuffer(int length) {
    byte[] buffer = new byte[length];
    long generator = PRIME32;
    for (int i = 0; i < length; i++) {
      buffer[i] = (byte) (generator >>> 56);
      generator *= PRIME64;
    }
    return buffer;
  }

  @Test
  void byteArraysAndAsciiStringsOfEveryLengthMatchZeroAllocationHashing() {
    SplittableRandom random = new SplittableRandom(42);
    for (long seed : SEEDS) {
      LongHashFunction reference = LongHashFunction.xx3(seed);
      for (int length = 0; length <= MAX_LENGTH; length++) {
        byte[] bytes = randomBytes(random, length);
        assertThat(Xxh3.hash(bytes, seed)).as("bytes, length %d, seed %d", length, seed)
            .isEqualTo(reference.hashBytes(bytes));
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
          chars[i] = (char) random.nextInt(0x80);
        }
        String ascii = new String(chars);
        assertThat(Xxh3.hash(AsciiAccess.INSTANCE, ascii, 0, length, seed))
            .as("ASCII string read in place, length %d, seed %d", length, seed)
            .isEqualTo(reference.hashBytes(ascii.getBytes(StandardCharsets.US_ASCII)));
      }
    }
  }

  @Test
  void byteRangesReadOnlyTheirOwnBytes() {
    SplittableRandom random = new SplittableRandom(43);
    for (long seed : new long[] {0, PRIME64}) {
      LongHashFunction reference = LongHashFunction.xx3(seed);
      for (int length = 0; length <= MAX_LENGTH; length++) {
        int before = random.nextInt(9);
        byte[] bytes = randomBytes(random, before + length + random.nextInt(9));
        long expected = reference.hashBytes(Arrays.copyOfRange(bytes, before, before + length));
        assertThat(Xxh3.hash(ByteArrayAccess.INSTANCE, bytes, before, length, seed))
            .as("length %d at offset %d, seed %d", length, before, seed).isEqualTo(expected);
      }
    }
  }

  @Test
  void longsHashAsTheirEightLittleEndianBytes() {
    SplittableRandom random = new SplittableRandom(45);
    long[] edges = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL, 0x8000_0000L, 1L << 32};
    for (long seed : SEEDS) {
      LongHashFunction reference = LongHashFunction.xx3(seed);
      for (int i = 0; i < 10_000 + edges.length; i++) {
        long value = i < edges.length ? edges[i] : random.nextLong();
        byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        long expected = reference.hashBytes(bytes);
        assertThat(Xxh3.hashLong(value, seed)).as("%d, seed %d", value, seed).isEqualTo(expected);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
          // zero-allocation-hashing reads the long in native order
          assertThat(reference.hashLong(value)).isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void keyHasherMatchesZeroAllocationHashingForEveryKeyType() {
    LongHashFunction reference = LongHashFunction.xx3();
    SplittableRandom random = new SplittableRandom(46);
    String[] keys = {"", "a", "user:42", "node-7#159", "ключ", "a\uD800b", "🙂 emoji", "é".repeat(300),
        "x".repeat(241) + "ü"};
    for (String key : keys) {
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      assertThat(Xxh3Hasher.INSTANCE.hash(key)).as(key).isEqualTo(reference.hashBytes(utf8));
      assertThat(Xxh3Hasher.INSTANCE.hash(utf8)).as(key).isEqualTo(reference.hashBytes(utf8));
    }
    for (int i = 0; i < 1_000; i++) {
      long seed = random.nextLong();
      byte[] id = ("node-" + i).getBytes(StandardCharsets.UTF_8);
      assertThat(Xxh3Hasher.hash(id, seed)).isEqualTo(LongHashFunction.xx3(seed).hashBytes(id));
      long key = random.nextLong();
      assertThat(Xxh3Hasher.INSTANCE.hash(key)).isEqualTo(Xxh3.hashLong(key, 0));
    }
  }

  @Test
  void allocatesNothingForAnyLengthOrSeed() {
    SplittableRandom random = new SplittableRandom(47);
    byte[] bytes = randomBytes(random, MAX_LENGTH);
    String ascii = new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "x");
    long[] sink = new long[1];
    Runnable hashes = () -> {
      for (long seed : SEEDS) {
        for (int length = 0; length <= MAX_LENGTH; length += 7) {
          sink[0] += Xxh3.hash(ByteArrayAccess.INSTANCE, bytes, MAX_LENGTH - length, length, seed)
              + Xxh3.hash(AsciiAccess.INSTANCE, ascii, 0, length, seed)
              + Xxh3.hashLong(length, seed);
        }
      }
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    hashes.run(); // class loading, VarHandle linkage
    long before = threads.getCurrentThreadAllocatedBytes();
    hashes.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    // one allocation per hash would be over 100,000 bytes; the counter itself may show a few
    assertThat(allocated).as("bytes allocated by %d hashes", 3 * SEEDS.length * (MAX_LENGTH / 7 + 1))
        .isLessThan(1024);
    assertThat(sink[0]).isNotZero();
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
