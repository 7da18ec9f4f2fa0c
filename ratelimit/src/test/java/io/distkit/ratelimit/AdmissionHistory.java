package io.distkit.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every admission a limiter made, with when it happened, and checks of each algorithm's guarantee over it.
 *
 * <p>An admission's time is known to lie within {@code [from, to]} µs: exactly (from == to) under a manual
 * clock, or the real time just before and just after the call. Counting only admissions known to lie inside
 * an interval never accuses a correct limiter; a limiter that over-admits shows up as soon as the calls are
 * shorter than the margin it over-admits by.
 */
final class AdmissionHistory {

  /** One granted request. */
  record Admission(long from, long to, long permits) {}

  private final ConcurrentLinkedQueue<Admission> admissions = new ConcurrentLinkedQueue<>();

  void record(long from, long to, long permits) {
    admissions.add(new Admission(from, to, permits));
  }

  long permits() {
    return admissions.stream().mapToLong(Admission::permits).sum();
  }

  int size() {
    return admissions.size();
  }

  /** The most permits known to be admitted within some closed interval of {@code length} µs. */
  long maxWithin(long length) {
    List<Admission> byStart = new ArrayList<>(admissions);
    byStart.sort(Comparator.comparingLong(Admission::from));
    long max = 0;
    for (int i = 0; i < byStart.size(); i++) {
      long start = byStart.get(i).from();
      long end = start + length;
      long sum = 0;
      for (int j = i; j < byStart.size() && byStart.get(j).from() <= end; j++) {
        if (byStart.get(j).to() <= end) {
          sum += byStart.get(j).permits();
        }
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  /**
   * How many permits a token bucket or GCRA history admitted beyond its guarantee (at most
   * {@code burst + limit x t / period} in any interval of length {@code t}) in the worst interval of length
   * {@code length}: 0 when within it. For histories that may exceed the limit, such as across a failover.
   */
  long excessWithin(long length, long limit, long periodMicros, long burst) {
    return Math.max(0, maxWithin(length) - (burst + Math.floorDiv(limit * length, periodMicros)));
  }

  /** {@link #excessWithin} over the whole history: from its first admission to its last. */
  long excessOverall(long limit, long periodMicros, long burst) {
    if (admissions.isEmpty()) {
      return 0;
    }
    long first = admissions.stream().mapToLong(Admission::from).min().orElseThrow();
    long last = admissions.stream().mapToLong(Admission::to).max().orElseThrow();
    return Math.max(0, permits() - (burst + Math.floorDiv(limit * (last - first), periodMicros)));
  }

  /** The most permits known to be admitted within one aligned window {@code [k P, (k + 1) P)}. */
  long maxPerAlignedWindow(long period) {
    Map<Long, Long> perWindow = new HashMap<>();
    for (Admission a : admissions) {
      long window = Math.floorDiv(a.from(), period);
      if (Math.floorDiv(a.to(), period) == window) {
        perWindow.merge(window, a.permits(), Long::sum);
      }
    }
    return perWindow.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /**
   * Checks the algorithm's guarantee (see {@link Algorithm}) for a limit of one bandwidth.
   *
   * @return a description of the worst case seen, for the log
   */
  String checkGuarantee(Algorithm algorithm, long limit, long periodMicros, long burst) {
    StringBuilder seen = new StringBuilder();
    switch (algorithm) {
      case TOKEN_BUCKET, GCRA -> {
        // at most burst + rate x t in any interval of length t
        for (long t : new long[] {0, periodMicros / limit, periodMicros / 2, periodMicros, 3 * periodMicros}) {
          long bound = burst + Math.floorDiv(limit * t, periodMicros);
          long max = maxWithin(t);
          seen.append(" [t=").append(t).append("us: ").append(max).append(" <= ").append(bound).append(']');
          assertAtMost(algorithm, "in an interval of " + t + " us", max, bound);
        }
      }
      case SLIDING_LOG -> {
        // at most limit in any interval of length period
        long max = maxWithin(periodMicros - 1);
        seen.append(" [any period: ").append(max).append(" <= ").append(limit).append(']');
        assertAtMost(algorithm, "in an interval of one period", max, limit);
      }
      case FIXED_WINDOW, SLIDING_WINDOW_COUNTER -> {
        // at most limit per aligned window; in any interval of length period, at most 2 x limit for the
        // fixed window (a full window ending just before another starts), fewer for the sliding counter
        long anyBound = algorithm == Algorithm.FIXED_WINDOW ? 2 * limit : 2 * limit - 1;
        long aligned = maxPerAlignedWindow(periodMicros);
        long any = maxWithin(periodMicros - 1);
        seen.append(" [aligned: ").append(aligned).append(" <= ").append(limit).append(", any period: ")
            .append(any).append(" <= ").append(anyBound).append(']');
        assertAtMost(algorithm, "in an aligned window", aligned, limit);
        assertAtMost(algorithm, "in an interval of one period", any, anyBound);
      }
    }
    return seen.toString();
  }

  private static void assertAtMost(Algorithm algorithm, String where, long actual, long bound) {
    if (actual > bound) {
      throw new AssertionError(algorithm + " admitted " + actual + " permits " + where + "; its guarantee is "
          + bound);
    }
  }
}
