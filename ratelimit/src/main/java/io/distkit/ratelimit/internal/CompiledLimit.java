package io.distkit.ratelimit.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.RateLimit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateLimit} turned into the exact integers both backends compute with. Time is in microseconds.
 *
 * <p>Per bandwidth {@code i}: {@code limit L}, {@code period P} (µs), {@code burst B}, and the refill rate
 * {@code L / P} reduced to lowest terms {@code a / b} permits per µs ({@code a = L / g}, {@code b = P / g},
 * {@code g = gcd(L, P)}). Token counts are kept multiplied by {@code b} so that refilling adds {@code a} per
 * µs exactly, with nothing lost to rounding: the remainder is carried. The sliding window counter weighs in
 * units of {@code u} µs (1 µs, 1 ms or 1 s, the finest that keeps {@code L × P / u} exact).
 *
 * <p>Every product the algorithms form stays below 2^53, the exact-integer range of Lua's doubles in
 * Redis; {@link #validate} rejects limits that would not.
 *
 * <p>Not API.
 */
public final class CompiledLimit {

  /** The largest integer Lua (IEEE doubles) represents exactly, 2^53 - 1. */
  public static final long MAX_EXACT = (1L << 53) - 1;

  /** The most permits a sliding log keeps per bandwidth (its memory is one entry per permit). */
  public static final long MAX_SLIDING_LOG_LIMIT = 1_000_000;

  /** The largest limit or burst accepted: 2^50, far beyond any real limit, far below overflow. */
  public static final long MAX_PERMITS = 1L << 50;

  /** Keys a limiter forgets this long after they are surely fresh again; absorbs scheduling delays. */
  public static final long FORGET_MARGIN_MICROS = 1_000_000;

  private static final Cache<RateLimit, CompiledLimit> CACHE = Caffeine.newBuilder()
      .weakKeys() // identity: a RateLimit compiled once stays compiled while someone holds it
      .executor(Runnable::run)
      .build();

  private final RateLimit limit;
  private final Algorithm algorithm;
  private final int count;
  private final long[] limits;
  private final long[] periods;
  private final long[] bursts;
  private final long[] a;
  private final long[] b;
  private final long[] units;
  private final long[] refillHorizon;
  private final long capacity;
  private final long maxPeriod;
  private final long surelyFreshMicros;
  private final List<byte[]> scriptArgs;
  private final byte @Nullable [] oneBandwidthDecision;
  private final byte @Nullable [] oneBandwidthReason;

  private CompiledLimit(RateLimit limit) {
    this.limit = limit;
    this.algorithm = limit.algorithm();
    List<Bandwidth> bandwidths = limit.bandwidths();
    this.count = bandwidths.size();
    this.limits = new long[count];
    this.periods = new long[count];
    this.bursts = new long[count];
    this.a = new long[count];
    this.b = new long[count];
    this.units = new long[count];
    this.refillHorizon = new long[count];
    long longest = 0;
    long smallestBurst = Long.MAX_VALUE;
    long fresh = 0;
    List<byte[]> args = new ArrayList<>();
    args.add(ascii(count));
    for (int i = 0; i < count; i++) {
      Bandwidth bw = bandwidths.get(i);
      long p = micros(bw);
      long g = gcd(bw.limit(), p);
      limits[i] = bw.limit();
      periods[i] = p;
      bursts[i] = bw.burst();
      a[i] = bw.limit() / g;
      b[i] = p / g;
      units[i] = weightUnit(bw.limit(), p);
      refillHorizon[i] = ceilDiv(bursts[i] * b[i], a[i]);
      longest = Math.max(longest, p);
      smallestBurst = Math.min(smallestBurst, bw.burst());
      switch (algorithm) {
        case TOKEN_BUCKET, GCRA -> {
          fresh = Math.max(fresh, ceilDiv(bursts[i] * b[i], a[i]));
          args.add(ascii(bursts[i]));
          args.add(ascii(a[i]));
          args.add(ascii(b[i]));
        }
        case FIXED_WINDOW, SLIDING_LOG -> {
          fresh = Math.max(fresh, p);
          args.add(ascii(limits[i]));
          args.add(ascii(p));
        }
        case SLIDING_WINDOW_COUNTER -> {
          fresh = Math.max(fresh, 2 * p);
          args.add(ascii(limits[i]));
          args.add(ascii(p));
          args.add(ascii(units[i]));
        }
      }
    }
    this.maxPeriod = longest;
    this.capacity = smallestBurst;
    this.surelyFreshMicros = fresh + FORGET_MARGIN_MICROS;
    this.scriptArgs = List.copyOf(args);
    boolean one = count == 1 && algorithm.supportsBurst();
    this.oneBandwidthDecision = one ? packed(true) : null;
    this.oneBandwidthReason = one ? packed(false) : null;
  }

  /**
   * The compiled form of a limit, computed once per {@code RateLimit} instance.
   *
   * @param limit a validated limit
   * @return its compiled form
   */
  public static CompiledLimit of(RateLimit limit) {
    return CACHE.get(limit, CompiledLimit::new);
  }

  /**
   * Checks that a limit fits both backends' exact arithmetic.
   *
   * @param algorithm the algorithm
   * @param bandwidths the bandwidths
   * @throws IllegalArgumentException naming the bad value and what to do instead
   */
  public static void validate(Algorithm algorithm, List<Bandwidth> bandwidths) {
    for (Bandwidth bw : bandwidths) {
      long p = micros(bw);
      if (bw.limit() > MAX_PERMITS || bw.burst() > MAX_PERMITS) {
        throw new IllegalArgumentException("limit (" + bw.limit() + ") and burst (" + bw.burst() + ") of " + bw
            + " must be at most 2^50 (" + MAX_PERMITS + ")");
      }
      if (!algorithm.supportsBurst() && bw.burst() != bw.limit()) {
        throw new IllegalArgumentException("burst (" + bw.burst() + ") of " + bw + " applies only to "
            + "TOKEN_BUCKET and GCRA; " + algorithm + " counts at most limit (" + bw.limit() + ") permits per period");
      }
      switch (algorithm) {
        case TOKEN_BUCKET, GCRA -> {
          long g = gcd(bw.limit(), p);
          long bScaled = p / g;
          long aScaled = bw.limit() / g;
          if (bw.burst() > MAX_EXACT / bScaled || bw.burst() * bScaled > MAX_EXACT - 2 * aScaled) {
            throw new IllegalArgumentException("bandwidth " + bw + " needs more precision than exact integer "
                + "arithmetic below 2^53 allows: burst (" + bw.burst() + ") x period in microseconds ("
                + p + ") / gcd(limit, period) (" + g + ") must stay below 2^53; use a smaller burst, a shorter "
                + "period, or a limit that divides the period more evenly");
          }
        }
        case SLIDING_WINDOW_COUNTER -> weightUnit(bw.limit(), p);
        case SLIDING_LOG -> {
          if (bw.limit() > MAX_SLIDING_LOG_LIMIT) {
            throw new IllegalArgumentException("limit (" + bw.limit() + ") of " + bw + " is too large for "
                + "SLIDING_LOG, which stores one entry per permit: at most " + MAX_SLIDING_LOG_LIMIT
                + "; use SLIDING_WINDOW_COUNTER or TOKEN_BUCKET for high limits");
          }
        }
        case FIXED_WINDOW -> {
          // counts and window indexes stay far below 2^53 for every valid limit and period
        }
      }
    }
  }

  /** The coarsest of 1 µs, 1 ms, 1 s that divides the period and keeps limit x period / unit exact. */
  private static long weightUnit(long limit, long periodMicros) {
    for (long unit : new long[] {1, 1_000, 1_000_000}) {
      if (periodMicros % unit == 0 && limit <= MAX_EXACT / (periodMicros / unit)) {
        return unit;
      }
    }
    throw new IllegalArgumentException("limit (" + limit + ") per period of " + periodMicros + " us is too large "
        + "for SLIDING_WINDOW_COUNTER: limit x period in seconds must stay below 2^53");
  }

  private static long micros(Bandwidth bw) {
    return bw.period().toNanos() / 1000;
  }

  static long gcd(long x, long y) {
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return x;
  }

  /**
   * Integer division rounding up, for non-negative operands.
   *
   * @param x the dividend, at least 0
   * @param y the divisor, at least 1
   * @return the smallest integer at least {@code x / y}
   */
  public static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The limit this was compiled from.
   *
   * @return the limit
   */
  public RateLimit limit() {
    return limit;
  }

  /**
   * The algorithm.
   *
   * @return the algorithm
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * How many bandwidths.
   *
   * @return at least 1
   */
  public int count() {
    return count;
  }

  /**
   * Permits per period of bandwidth {@code i}.
   *
   * @param i the bandwidth's index
   * @return L
   */
  public long limit(int i) {
    return limits[i];
  }

  /**
   * Period of bandwidth {@code i}.
   *
   * @param i the bandwidth's index
   * @return P in µs
   */
  public long period(int i) {
    return periods[i];
  }

  /**
   * Burst of bandwidth {@code i}.
   *
   * @param i the bandwidth's index
   * @return B
   */
  public long burst(int i) {
    return bursts[i];
  }

  /**
   * Refill numerator of bandwidth {@code i}: {@code a / b} permits per µs.
   *
   * @param i the bandwidth's index
   * @return a
   */
  public long a(int i) {
    return a[i];
  }

  /**
   * Refill denominator of bandwidth {@code i}: {@code a / b} permits per µs.
   *
   * @param i the bandwidth's index
   * @return b
   */
  public long b(int i) {
    return b[i];
  }

  /**
   * The sliding window counter's weighting unit of bandwidth {@code i}.
   *
   * @param i the bandwidth's index
   * @return u in µs: 1, 1,000 or 1,000,000
   */
  public long unit(int i) {
    return units[i];
  }

  /**
   * For the token bucket and GCRA: how long an empty bucket of bandwidth {@code i} takes to refill,
   * {@code ceil(burst × b / a)} µs. A deficit is surely paid off after this long, and below it
   * {@code elapsed × a} stays exact.
   *
   * @param i the bandwidth's index
   * @return µs
   */
  public long refillHorizon(int i) {
    return refillHorizon[i];
  }

  /**
   * The most permits one request can get: the smallest burst.
   *
   * @return the capacity
   */
  public long capacity() {
    return capacity;
  }

  /**
   * The longest period.
   *
   * @return µs
   */
  public long maxPeriod() {
    return maxPeriod;
  }

  /**
   * An upper bound on how long after any request a key's state is fresh again, plus a margin: how long an
   * in-process limiter keeps a key it has not seen.
   *
   * @return µs
   */
  public long surelyFreshMicros() {
    return surelyFreshMicros;
  }

  /**
   * {@link #surelyFreshMicros()} in nanoseconds.
   *
   * @return ns
   */
  public long surelyFreshNanos() {
    return surelyFreshMicros * 1000;
  }

  /**
   * The bandwidths as Redis script arguments: their count, then per bandwidth the numbers its algorithm's
   * script reads.
   *
   * @return immutable encoded arguments
   */
  public List<byte[]> scriptArgs() {
    return scriptArgs;
  }

  /**
   * For a token bucket or GCRA of one bandwidth, the one script argument that says everything about the limit
   * and the reply wanted: a flags byte (1: GCRA, else token bucket; 2: reply the whole decision, else the reason
   * alone) then burst, {@code a} and {@code b} as little-endian doubles (exact: each is below 2^53). One
   * argument instead of five: less for the client to send and for Redis to parse.
   *
   * @param decision whether the script should reply the whole decision
   * @return the 25 bytes (do not modify), or null for any other limit
   */
  public byte @Nullable [] oneBandwidthArg(boolean decision) {
    return decision ? oneBandwidthDecision : oneBandwidthReason;
  }

  private byte[] packed(boolean decision) {
    return ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) ((algorithm == Algorithm.GCRA ? 1 : 0) | (decision ? 2 : 0)))
        .putDouble(bursts[0])
        .putDouble(a[0])
        .putDouble(b[0])
        .array();
  }
}
