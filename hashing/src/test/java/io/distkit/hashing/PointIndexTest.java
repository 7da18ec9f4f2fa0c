package io.distkit.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bucket table answers exactly what a binary search over all the points answers. */
class PointIndexTest {

  private static final SplittableRandom RANDOM = new SplittableRandom(7);

  @Test
  void agreesWithBinarySearchOnFullRangeHashes() {
    for (int size : new int[] {1, 2, 3, 10, 1_600, 16_000}) {
      long[] points = sorted(RANDOM.longs(size).toArray());
      PointIndex index = new PointIndex(points, Long.MIN_VALUE, 64);
      assertAgrees(points, index, RANDOM.longs(20_000).toArray());
      assertAgrees(points, index, neighbours(points));
      assertAgrees(points, index, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1});
    }
  }

  @Test
  void agreesOnThirtyTwoBitPointsAndOnHashesOutsideTheirSpan() {
    long[] points = sorted(RANDOM.longs(1_600, 0, 1L << 32).toArray());
    PointIndex index = new PointIndex(points, 0, 32);
    assertAgrees(points, index, RANDOM.longs(20_000, 0, 1L << 32).toArray());
    assertAgrees(points, index, neighbours(points));
    // nodeIndex(hash) may be handed any long: below 0 every point is above it, past 2^32 none is
    assertAgrees(points, index, new long[] {-1, Long.MIN_VALUE, 1L << 32, (1L << 32) + 5, Long.MAX_VALUE, 0,
        (1L << 32) - 1});
    assertThat(index.firstAtOrAbove(-1)).isZero();
    assertThat(index.firstAtOrAbove(1L << 32)).isEqualTo(points.length);
  }

  @Test
  void agreesWhenPointsRepeatAndCrowdIntoOneBucket() {
    long[] points = new long[1_000];
    for (int i = 0; i < points.length; i++) {
      points[i] = i < 900 ? 42 + i / 3 : RANDOM.nextLong(); // 900 points in a tiny stretch, with duplicates
    }
    points = sorted(points);
    PointIndex index = new PointIndex(points, Long.MIN_VALUE, 64);
    assertAgrees(points, index, neighbours(points));
    assertAgrees(points, index, RANDOM.longs(5_000).toArray());
  }

  private static void assertAgrees(long[] points, PointIndex index, long[] values) {
    for (long value : values) {
      assertThat(index.firstAtOrAbove(value))
          .as("first point at or above %d", value)
          .isEqualTo(SortedLongs.firstAtOrAbove(points, value));
    }
  }

  /** Every point, and one below and above it: the edges where an off-by-one would show. */
  private static long[] neighbours(long[] points) {
    long[] values = new long[points.length * 3];
    for (int i = 0; i < points.length; i++) {
      values[3 * i] = points[i];
      values[3 * i + 1] = points[i] - 1;
      values[3 * i + 2] = points[i] + 1;
    }
    return values;
  }

  private static long[] sorted(long[] values) {
    Arrays.sort(values);
    return values;
  }
}
