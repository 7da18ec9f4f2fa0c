package io.distkit.benchmarks.profile;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram of durations in nanoseconds with fixed log-linear buckets, for percentiles that JMH does not compute
 * in throughput mode (a benchmark records, {@link TrialFiguresProfiler} reports). Values below 64 ns have a bucket
 * each; above, every power of two is split into 32 buckets of equal width, so a bucket is at most 1/32 (3.1%) of
 * the values it holds wide. A percentile is the highest value of the bucket it falls in (never above the largest
 * value recorded): it overstates by at most 3.1%, never understates. The maximum, the count and the mean are exact.
 *
 * <p>Fixed size (1,888 counters, about 15 KB), no allocation when recording. Thread-safe: any number of threads
 * may record at once; read it when nobody records, or accept a reading that misses the records in flight.
 */
public final class LatencyHistogram {

  /** log2 of the buckets per power of two. */
  private static final int SUB_BITS = 5;
  private static final int SUB = 1 << SUB_BITS;
  /** Values below this have a bucket each. */
  private static final int EXACT = 2 * SUB;
  /** The exact buckets, then 32 per power of two from 2^6 to 2^62 (the largest a positive long reaches). */
  static final int BUCKETS = EXACT + (63 - SUB_BITS - 1) * SUB;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong sum = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  /** An empty histogram. */
  public LatencyHistogram() {}

  /**
   * Records one duration.
   *
   * @param nanos the duration in nanoseconds; a negative one (a clock that stepped back) counts as 0
   */
  public void record(long nanos) {
    long value = Math.max(0, nanos);
    counts.incrementAndGet(index(value));
    count.incrementAndGet();
    sum.addAndGet(value);
    max.accumulateAndGet(value, Math::max);
  }

  /** Forgets everything recorded. Not atomic with concurrent {@link #record(long)} calls. */
  public void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
    count.set(0);
    sum.set(0);
    max.set(0);
  }

  /**
   * How many durations were recorded.
   *
   * @return the count since creation or the last {@link #reset()}
   */
  public long count() {
    return count.get();
  }

  /**
   * The largest duration recorded, exactly.
   *
   * @return nanoseconds, 0 when empty
   */
  public long maxNanos() {
    return max.get();
  }

  /**
   * The mean duration, exactly.
   *
   * @return nanoseconds, NaN when empty
   */
  public double meanNanos() {
    long n = count.get();
    return n == 0 ? Double.NaN : (double) sum.get() / n;
  }

  /**
   * A percentile: the smallest bucket bound that at least {@code fraction} of the durations do not exceed.
   *
   * @param fraction in (0, 1], e.g. 0.99 for p99
   * @return nanoseconds (at most 3.1% above the true percentile, never below it, never above the maximum); NaN
   *     when empty
   * @throws IllegalArgumentException when {@code fraction} is not in (0, 1]
   */
  public double percentileNanos(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction (" + fraction + ") must be in (0, 1]");
    }
    long n = count.get();
    if (n == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(highestIn(i), max.get());
      }
    }
    return max.get(); // records in flight while reading
  }

  /** The bucket of a value (not negative). */
  static int index(long value) {
    if (value < EXACT) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value); // at least SUB_BITS + 1
    int shift = exponent - SUB_BITS;
    int sub = (int) (value >>> shift) - SUB;
    return EXACT + (exponent - SUB_BITS - 1) * SUB + sub;
  }

  /** The smallest value in a bucket. */
  static long lowestIn(int index) {
    if (index < EXACT) {
      return index;
    }
    int k = index - EXACT;
    int shift = k / SUB + 1;
    return (long) (SUB + k % SUB) << shift;
  }

  /** The largest value in a bucket. */
  static long highestIn(int index) {
    if (index < EXACT) {
      return index;
    }
    int shift = (index - EXACT) / SUB + 1;
    return lowestIn(index) + (1L << shift) - 1;
  }
}
