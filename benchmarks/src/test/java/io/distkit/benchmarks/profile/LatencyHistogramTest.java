package io.distkit.benchmarks.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The histogram's buckets and percentiles against exact percentiles of the same values. */
class LatencyHistogramTest {

  @Test
  void everyValueFallsInABucketWhoseBoundsHoldItAndWhoseWidthIsAtMostOneThirtySecond() {
    SplittableRandom random = new SplittableRandom(7);
    List<Long> values = new ArrayList<>(List.of(0L, 1L, 63L, 64L, 65L, 127L, 128L, 1_000L, 999_999L,
        Long.MAX_VALUE));
    for (int i = 0; i < 100_000; i++) {
      values.add(random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63));
    }
    for (long value : values) {
      int index = LatencyHistogram.index(value);
      assertThat(index).as("bucket of %d", value).isBetween(0, LatencyHistogram.BUCKETS - 1);
      long low = LatencyHistogram.lowestIn(index);
      long high = LatencyHistogram.highestIn(index);
      assertThat(value).as("bucket %d of %d", index, value).isBetween(low, high);
      assertThat((double) (high - low + 1)).as("width of bucket %d", index).isLessThanOrEqualTo(Math.max(1, low / 32.0));
    }
  }

  @Test
  void bucketsFollowEachOtherWithoutGapsUpToTheLargestLong() {
    assertThat(LatencyHistogram.lowestIn(0)).isZero();
    for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
      assertThat(LatencyHistogram.lowestIn(i)).as("bucket %d", i).isEqualTo(LatencyHistogram.highestIn(i - 1) + 1);
    }
    assertThat(LatencyHistogram.highestIn(LatencyHistogram.BUCKETS - 1)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void percentilesAreAtMostThreePercentAboveTheExactOnesAndNeverBelow() {
    SplittableRandom random = new SplittableRandom(42);
    LatencyHistogram histogram = new LatencyHistogram();
    long[] values = new long[20_001];
    for (int i = 0; i < values.length; i++) {
      // a long tail: mostly 50-150 µs, one in a hundred up to 10 ms
      values[i] = i % 100 == 0 ? random.nextLong(1_000_000, 10_000_000) : random.nextLong(50_000, 150_000);
      histogram.record(values[i]);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double fraction : new double[] {0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
      long exact = sorted[(int) Math.ceil(fraction * sorted.length) - 1];
      assertThat(histogram.percentileNanos(fraction)).as("p%s", fraction * 100)
          .isBetween((double) exact, exact * (1 + 1 / 32.0));
    }
    assertThat(histogram.percentileNanos(1.0)).isEqualTo(sorted[sorted.length - 1]);
    assertThat(histogram.maxNanos()).isEqualTo(sorted[sorted.length - 1]);
    assertThat(histogram.count()).isEqualTo(values.length);
    assertThat(histogram.meanNanos()).isEqualTo(Arrays.stream(values).average().orElseThrow());
  }

  @Test
  void smallValuesAreExactNegativeOnesCountAsZeroAndResetForgetsEverything() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(-5);
    histogram.record(3);
    histogram.record(40);
    assertThat(histogram.percentileNanos(1 / 3.0)).isZero();
    assertThat(histogram.percentileNanos(0.5)).isEqualTo(3);
    assertThat(histogram.percentileNanos(1)).isEqualTo(40);
    histogram.reset();
    assertThat(histogram.count()).isZero();
    assertThat(histogram.maxNanos()).isZero();
    assertThat(histogram.percentileNanos(0.5)).isNaN();
    assertThat(histogram.meanNanos()).isNaN();
  }

  @Test
  void threadsRecordingAtOnceLoseNothing() throws Exception {
    LatencyHistogram histogram = new LatencyHistogram();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(pool.submit(() -> {
          for (int i = 1; i <= 50_000; i++) {
            histogram.record(i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(histogram.count()).isEqualTo(200_000);
    assertThat(histogram.maxNanos()).isEqualTo(50_000);
    assertThat(histogram.meanNanos()).isEqualTo(25_000.5);
  }

  @Test
  void refusesAFractionOutsideZeroToOne() {
    LatencyHistogram histogram = new LatencyHistogram();
    assertThatThrownBy(() -> histogram.percentileNanos(0)).hasMessageContaining("fraction (0.0)");
    assertThatThrownBy(() -> histogram.percentileNanos(1.5)).hasMessageContaining("fraction (1.5)");
    assertThatThrownBy(() -> histogram.percentileNanos(Double.NaN)).hasMessageContaining("fraction (NaN)");
  }
}
