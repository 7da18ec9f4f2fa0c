package io.distkit.hashing;

/**
 * Finds the first of a ring's sorted points at or after a hash in O(1) expected time: the hash space is cut
 * into 2^bits equal buckets (about one point per bucket), and a table holds the index of each bucket's first
 * point, so a lookup reads one table entry and searches the few points of one bucket. A plain binary search
 * over thousands of points costs a dozen dependent, unpredictable loads; this costs two or three.
 *
 * <p>The points lie in a span starting at {@code base} and {@code 2^spanBits} wide (all of {@code long} for
 * 64-bit hashes, {@code [0, 2^32)} for ketama's 32-bit ones). A hash outside the span (only possible for 32-bit
 * points, through {@code nodeIndex(hash)}) falls back to a binary search, so every answer is exact.
 */
final class PointIndex {

  /** At most 2^24 buckets (64 MiB of table for a ring of ten million points). */
  private static final int MAX_BITS = 24;

  private final long[] points;
  private final long base;
  private final int shift;
  private final long lastBucket;
  /** {@code starts[b]}: the index of the first point in bucket b or later; {@code starts[2^bits] = n}. */
  private final int[] starts;

  /**
   * Indexes sorted points.
   *
   * @param points ascending (signed), not empty, in {@code [base, base + 2^spanBits)}; not copied, never
   *     changed afterwards
   * @param base the smallest possible point
   * @param spanBits 64 or 32
   */
  public PointIndex(long[] points, long base, int spanBits) {
    // the first power of two at or above the point count, within [2, 2^MAX_BITS]
    int wanted = 64 - Long.numberOfLeadingZeros(Math.max(1, points.length - 1));
    int bits = Math.max(1, Math.min(Math.min(MAX_BITS, spanBits), wanted));
    this.points = points;
    this.base = base;
    this.shift = spanBits - bits;
    this.lastBucket = (1L << bits) - 1;
    int buckets = 1 << bits;
    this.starts = new int[buckets + 1];
    int p = 0;
    for (int b = 0; b < buckets; b++) {
      starts[b] = p;
      while (p < points.length && bucketOf(points[p]) == b) {
        p++;
      }
    }
    starts[buckets] = points.length;
  }

  private long bucketOf(long value) {
    return (value - base) >>> shift;
  }

  /**
   * The index of the first point at or above a value, as {@link SortedLongs#firstAtOrAbove} would return it.
   *
   * @param value a hash
   * @return an index in {@code [0, points.length]}; {@code points.length} when every point is smaller
   */
  public int firstAtOrAbove(long value) {
    long bucket = bucketOf(value);
    if (bucket > lastBucket) {
      return SortedLongs.firstAtOrAbove(points, value); // outside the span of 32-bit points
    }
    int b = (int) bucket;
    // every point of a later bucket is above the value, so the answer lies in [starts[b], starts[b + 1]]
    return SortedLongs.firstAtOrAbove(points, starts[b], starts[b + 1], value);
  }

  /**
   * The memory of the bucket table.
   *
   * @return bytes, with the array header
   */
  public long tableBytes() {
    return 16L + 4L * starts.length;
  }
}
