package io.distkit.hashing;

import java.util.HexFormat;

/**
 * XXH3, 64-bit, with a seed: Yann Collet's hash, written from the xxHash specification
 * ({@code doc/xxhash_spec.md} in github.com/Cyan4973/xxHash, version 0.8 of the algorithm). Bit for bit
 * {@code XXH3_64bits_withSeed} of the reference library, and OpenHFT zero-allocation-hashing's
 * {@code LongHashFunction.xx3(seed)} ({@code Xxh3Test} checks both).
 *
 * <p>Reads the input in place through a {@link ByteAccess} and allocates nothing, for any length and seed
 * (the secret a seed derives for inputs above 240 bytes is computed word by word, not stored). No
 * {@code Unsafe}: arrays are read through {@link java.lang.invoke.VarHandle} views. Not API; thread-safe.
 */
final class Xxh3 {

  private static final long PRIME32_1 = 0x9E3779B1L;
  private static final long PRIME32_2 = 0x85EBCA77L;
  private static final long PRIME32_3 = 0xC2B2AE3DL;
  private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
  private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
  private static final long PRIME64_3 = 0x165667B19E3779F9L;
  private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
  private static final long PRIME64_5 = 0x27D4EB2F165667C5L;
  private static final long PRIME_MX1 = 0x165667919E3779F9L;
  private static final long PRIME_MX2 = 0x9FB21C651E98DF25L;

  /** The default secret, 192 bytes, from the specification. */
  private static final byte[] SECRET = HexFormat.of().parseHex(""
      + "b8fe6c3923a44bbe7c01812cf721ad1c"
      + "ded46de9839097db7240a4a4b7b3671f"
      + "cb79e64eccc0e578825ad07dccff7221"
      + "b8084674f743248ee03590e6813a264c"
      + "3c2852bb91c300cb88d0658b1b532ea3"
      + "71644897a20df94e3819ef46a9deacd8"
      + "a8fa763fe39c343ff9dcbbc7c70b4f1d"
      + "8a51e04bcdb45931c89f7ec9d9787364"
      + "eac5ac8334d3ebc3c581a0fffa1363eb"
      + "170ddd51b7f0da49d316552629d4689e"
      + "2b16be587d47a1fc8ff8b8d17ad031ce"
      + "45cb3a8f95160428afd7fbcabb4b407e");

  /** The default secret as 24 little-endian words, for the long path's aligned reads. */
  private static final long[] SECRET_WORDS = new long[24];

  static {
    for (int i = 0; i < SECRET_WORDS.length; i++) {
      SECRET_WORDS[i] = secret(8 * i);
    }
  }

  // the secret words the short paths combine, folded once: static final longs are constants to the JIT
  private static final long EMPTY_KEY = secret(56) ^ secret(64);
  private static final long UP_TO_3_KEY = (secret(0) ^ secret(0) >>> 32) & 0xffffffffL;
  private static final long UP_TO_8_KEY = secret(8) ^ secret(16);
  private static final long UP_TO_16_LOW_KEY = secret(24) ^ secret(32);
  private static final long UP_TO_16_HIGH_KEY = secret(40) ^ secret(48);

  // the long path: stripes of 64 bytes, blocks of 16 stripes, and where in the secret each step reads
  private static final int STRIPE = 64;
  private static final int STRIPES_PER_BLOCK = 16;
  private static final int BLOCK = STRIPE * STRIPES_PER_BLOCK;
  private static final int SCRAMBLE_WORD = 16;
  private static final int LAST_STRIPE_SECRET = 121;
  private static final int MERGE_SECRET = 11;

  private Xxh3() {}

  /**
   * Hashes bytes of an input.
   *
   * @param access reads the input
   * @param input the input; not modified
   * @param offset the index of the first byte
   * @param length how many bytes, at least 0; {@code offset + length} within the input
   * @param seed the seed (0 for the unseeded hash)
   * @param <T> the input type
   * @return the 64-bit XXH3 of the bytes
   */
  static <T> long hash(ByteAccess<T> access, T input, int offset, int length, long seed) {
    if (length <= 16) {
      return hashUpTo16(access, input, offset, length, seed);
    }
    if (length <= 128) {
      return hashUpTo128(access, input, offset, length, seed);
    }
    if (length <= 240) {
      return hashUpTo240(access, input, offset, length, seed);
    }
    return hashLarge(access, input, offset, length, seed);
  }

  /**
   * Hashes a byte array.
   *
   * @param bytes the bytes; not modified
   * @param seed the seed (0 for the unseeded hash)
   * @return the 64-bit XXH3 of the bytes
   */
  static long hash(byte[] bytes, long seed) {
    return hash(ByteArrayAccess.INSTANCE, bytes, 0, bytes.length, seed);
  }

  /**
   * Hashes a long as its eight little-endian bytes, on every platform.
   *
   * @param value the long
   * @param seed the seed (0 for the unseeded hash)
   * @return the 64-bit XXH3 of the eight bytes
   */
  static long hashLong(long value, long seed) {
    // the 4-to-8 path with the first four bytes the low half and the last four the high half
    return hash4To8(value & 0xffffffffL, value >>> 32, 8, seed);
  }

  private static <T> long hashUpTo16(ByteAccess<T> access, T input, int offset, int length, long seed) {
    if (length > 8) {
      long low = access.getLong(input, offset) ^ (UP_TO_16_LOW_KEY + seed);
      long high = access.getLong(input, offset + length - 8) ^ (UP_TO_16_HIGH_KEY - seed);
      return avalanche(length + Long.reverseBytes(low) + high + multiplyFold(low, high));
    }
    if (length >= 4) {
      return hash4To8(access.getUnsignedInt(input, offset), access.getUnsignedInt(input, offset + length - 4),
          length, seed);
    }
    if (length > 0) {
      long combined = (long) access.getUnsignedByte(input, offset + length - 1)
          | length << 8
          | access.getUnsignedByte(input, offset) << 16
          | (long) access.getUnsignedByte(input, offset + (length >>> 1)) << 24;
      return avalancheXxh64((UP_TO_3_KEY + seed) ^ combined);
    }
    return avalancheXxh64(seed ^ EMPTY_KEY);
  }

  private static long hash4To8(long first, long last, int length, long seed) {
    long modifiedSeed = seed ^ (long) Integer.reverseBytes((int) seed) << 32;
    long value = (UP_TO_8_KEY - modifiedSeed) ^ (last | first << 32);
    value ^= Long.rotateLeft(value, 49) ^ Long.rotateLeft(value, 24);
    value *= PRIME_MX2;
    value ^= (value >>> 35) + length;
    value *= PRIME_MX2;
    return value ^ value >>> 28;
  }

  /** 17 to 128 bytes: 16-byte chunks from both ends towards the middle, two more per 32 bytes of length. */
  private static <T> long hashUpTo128(ByteAccess<T> access, T input, int offset, int length, long seed) {
    long acc = length * PRIME64_1;
    int end = offset + length;
    if (length > 32) {
      if (length > 64) {
        if (length > 96) {
          acc += mix16(access, input, offset + 48, 96, seed) + mix16(access, input, end - 64, 112, seed);
        }
        acc += mix16(access, input, offset + 32, 64, seed) + mix16(access, input, end - 48, 80, seed);
      }
      acc += mix16(access, input, offset + 16, 32, seed) + mix16(access, input, end - 32, 48, seed);
    }
    acc += mix16(access, input, offset, 0, seed) + mix16(access, input, end - 16, 16, seed);
    return avalanche(acc);
  }

  /**
   * 129 to 240 bytes: the first eight 16-byte chunks, an avalanche, the other whole chunks against the secret
   * from byte 3 on, then the last 16 bytes against the secret from byte 119.
   */
  private static <T> long hashUpTo240(ByteAccess<T> access, T input, int offset, int length, long seed) {
    long acc = length * PRIME64_1;
    for (int i = 0; i < 8; i++) {
      acc += mix16(access, input, offset + 16 * i, 16 * i, seed);
    }
    acc = avalanche(acc);
    int chunks = length >>> 4;
    for (int i = 8; i < chunks; i++) {
      acc += mix16(access, input, offset + 16 * i, 16 * (i - 8) + 3, seed);
    }
    acc += mix16(access, input, offset + length - 16, 119, seed);
    return avalanche(acc);
  }

  private static <T> long mix16(ByteAccess<T> access, T input, int at, int secretOffset, long seed) {
    return multiplyFold(access.getLong(input, at) ^ (secret(secretOffset) + seed),
        access.getLong(input, at + 8) ^ (secret(secretOffset + 8) - seed));
  }

  /**
   * Above 240 bytes: eight accumulators take 64-byte stripes, stripe {@code k} of a block against the secret from
   * byte {@code 8k}, and are scrambled after each block of 16 stripes (1,024 bytes); then the input's last 64
   * bytes make one more stripe (overlapping the one before unless the length is a multiple of 64), and the
   * accumulators are merged.
   */
  private static <T> long hashLarge(ByteAccess<T> access, T input, int offset, int length, long seed) {
    long acc0 = PRIME32_3;
    long acc1 = PRIME64_1;
    long acc2 = PRIME64_2;
    long acc3 = PRIME64_3;
    long acc4 = PRIME64_4;
    long acc5 = PRIME32_2;
    long acc6 = PRIME64_5;
    long acc7 = PRIME32_1;
    int stripes = (length - 1) / STRIPE; // the whole stripes before the last 64 bytes
    int blocks = stripes / STRIPES_PER_BLOCK; // the blocks before the last one, which may be whole too
    for (int block = 0; block <= blocks; block++) {
      // masked, the count is known to be at most 16, so the JIT drops the range checks of SECRET_WORDS[k + 7]
      int blockStripes = block < blocks ? STRIPES_PER_BLOCK : stripes & STRIPES_PER_BLOCK - 1;
      // a loop of its own per block: the reads walk linearly, and the secret words are k to k + 7
      for (int k = 0; k < blockStripes; k++) {
        int at = offset + BLOCK * block + STRIPE * k;
        long adjust = (k & 1) == 0 ? seed : -seed; // see secret(int, long)
        long lane0 = access.getLong(input, at);
        long lane1 = access.getLong(input, at + 8);
        long lane2 = access.getLong(input, at + 16);
        long lane3 = access.getLong(input, at + 24);
        long lane4 = access.getLong(input, at + 32);
        long lane5 = access.getLong(input, at + 40);
        long lane6 = access.getLong(input, at + 48);
        long lane7 = access.getLong(input, at + 56);
        // each accumulator takes its lane times the secret, and its neighbour's lane as it is
        acc0 += lane1 + multiplyHalves(lane0 ^ (SECRET_WORDS[k] + adjust));
        acc1 += lane0 + multiplyHalves(lane1 ^ (SECRET_WORDS[k + 1] - adjust));
        acc2 += lane3 + multiplyHalves(lane2 ^ (SECRET_WORDS[k + 2] + adjust));
        acc3 += lane2 + multiplyHalves(lane3 ^ (SECRET_WORDS[k + 3] - adjust));
        acc4 += lane5 + multiplyHalves(lane4 ^ (SECRET_WORDS[k + 4] + adjust));
        acc5 += lane4 + multiplyHalves(lane5 ^ (SECRET_WORDS[k + 5] - adjust));
        acc6 += lane7 + multiplyHalves(lane6 ^ (SECRET_WORDS[k + 6] + adjust));
        acc7 += lane6 + multiplyHalves(lane7 ^ (SECRET_WORDS[k + 7] - adjust));
      }
      if (block < blocks) {
        acc0 = scramble(acc0, 0, seed);
        acc1 = scramble(acc1, 1, seed);
        acc2 = scramble(acc2, 2, seed);
        acc3 = scramble(acc3, 3, seed);
        acc4 = scramble(acc4, 4, seed);
        acc5 = scramble(acc5, 5, seed);
        acc6 = scramble(acc6, 6, seed);
        acc7 = scramble(acc7, 7, seed);
      }
    }
    int last = offset + length - STRIPE;
    acc0 += access.getLong(input, last + 8) + lastStripeLane(access, input, last, 0, seed);
    acc1 += access.getLong(input, last) + lastStripeLane(access, input, last, 1, seed);
    acc2 += access.getLong(input, last + 24) + lastStripeLane(access, input, last, 2, seed);
    acc3 += access.getLong(input, last + 16) + lastStripeLane(access, input, last, 3, seed);
    acc4 += access.getLong(input, last + 40) + lastStripeLane(access, input, last, 4, seed);
    acc5 += access.getLong(input, last + 32) + lastStripeLane(access, input, last, 5, seed);
    acc6 += access.getLong(input, last + 56) + lastStripeLane(access, input, last, 6, seed);
    acc7 += access.getLong(input, last + 48) + lastStripeLane(access, input, last, 7, seed);
    long result = length * PRIME64_1
        + multiplyFold(acc0 ^ secret(MERGE_SECRET, seed), acc1 ^ secret(MERGE_SECRET + 8, seed))
        + multiplyFold(acc2 ^ secret(MERGE_SECRET + 16, seed), acc3 ^ secret(MERGE_SECRET + 24, seed))
        + multiplyFold(acc4 ^ secret(MERGE_SECRET + 32, seed), acc5 ^ secret(MERGE_SECRET + 40, seed))
        + multiplyFold(acc6 ^ secret(MERGE_SECRET + 48, seed), acc7 ^ secret(MERGE_SECRET + 56, seed));
    return avalanche(result);
  }

  /** Accumulator {@code lane} after a block: mixed with the last 64 bytes of the secret (words 16 to 23). */
  private static long scramble(long acc, int lane, long seed) {
    long key = SECRET_WORDS[SCRAMBLE_WORD + lane] + ((lane & 1) == 0 ? seed : -seed);
    return (acc ^ acc >>> 47 ^ key) * PRIME32_1;
  }

  /** Lane {@code lane} of the last stripe times the secret from byte 121 (not word-aligned). */
  private static <T> long lastStripeLane(ByteAccess<T> access, T input, int last, int lane, long seed) {
    return multiplyHalves(access.getLong(input, last + 8 * lane) ^ secret(LAST_STRIPE_SECRET + 8 * lane, seed));
  }

  /** Eight bytes of the default secret, little-endian, at any offset from 0 to 184. */
  private static long secret(int offset) {
    return ByteArrayAccess.INSTANCE.getLong(SECRET, offset);
  }

  /**
   * Eight bytes of the secret a seed derives for inputs above 240 bytes: the default secret read as 24 words,
   * the seed added to the even words and subtracted from the odd ones. Seed 0 derives the default secret.
   */
  private static long secret(int offset, long seed) {
    if (seed == 0) {
      return secret(offset);
    }
    int word = offset & ~7;
    long even = (word & 8) == 0 ? seed : -seed;
    long low = secret(word) + even;
    int shift = 8 * (offset & 7);
    if (shift == 0) {
      return low;
    }
    long high = secret(word + 8) - even;
    return low >>> shift | high << 64 - shift;
  }

  /** The low 32 bits times the high 32 bits, as unsigned numbers. */
  private static long multiplyHalves(long value) {
    return (value & 0xffffffffL) * (value >>> 32);
  }

  /** The full 128-bit unsigned product, its halves XORed. */
  private static long multiplyFold(long a, long b) {
    // Math.multiplyHigh is signed; a negative factor subtracted the other from the high half, add it back
    long high = Math.multiplyHigh(a, b) + (a >> 63 & b) + (b >> 63 & a);
    return a * b ^ high;
  }

  private static long avalanche(long h) {
    h ^= h >>> 37;
    h *= PRIME_MX1;
    return h ^ h >>> 32;
  }

  private static long avalancheXxh64(long h) {
    h ^= h >>> 33;
    h *= PRIME64_2;
    h ^= h >>> 29;
    h *= PRIME64_3;
    return h ^ h >>> 32;
  }
}
