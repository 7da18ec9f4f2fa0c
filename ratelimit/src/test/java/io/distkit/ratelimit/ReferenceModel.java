package io.distkit.ratelimit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Each algorithm as the textbook states it, in exact rational arithmetic, with none of the implementation's
 * integer scaling: the oracle for the property tests. Time is µs and only moves forward.
 *
 * <p>Besides admitting or not, a model answers "would {@code n} permits be admitted at time {@code t}" without
 * changing anything, and "is the state fresh at {@code t}". The expected retry-after and reset-after are then
 * the smallest times at which those become true (both are monotone in time), found by binary search: an
 * independent route to the numbers the implementation computes in closed form.
 */
final class ReferenceModel {

  interface BandwidthModel {
    boolean wouldAllow(long t, long n);

    void consume(long t, long n);

    boolean fresh(long t);
  }

  /** What the model says a decision must be. */
  record Expected(RateLimitDecision.Reason reason, long remaining, long retryAfter, long resetAfter) {}

  private final List<BandwidthModel> bandwidths = new ArrayList<>();
  private final List<Bandwidth> config;
  private final long horizon;

  ReferenceModel(RateLimit limit) {
    this.config = limit.bandwidths();
    long h = 0;
    for (Bandwidth bw : config) {
      long p = bw.period().toNanos() / 1000;
      bandwidths.add(switch (limit.algorithm()) {
        case TOKEN_BUCKET -> new TokenBucket(bw.limit(), p, bw.burst());
        case GCRA -> new Gcra(bw.limit(), p, bw.burst());
        case FIXED_WINDOW -> new FixedWindow(bw.limit(), p);
        case SLIDING_LOG -> new SlidingLog(bw.limit(), p);
        case SLIDING_WINDOW_COUNTER -> new SlidingWindowCounter(bw.limit(), p, unit(bw.limit(), p));
      });
      h = Math.max(h, 3 * p + Math.floorDiv(bw.burst() * p + bw.limit() - 1, bw.limit()) + 2);
    }
    this.horizon = h;
  }

  /** The same unit choice CompiledLimit documents: the coarsest of 1 µs, 1 ms, 1 s keeping L × P/u exact. */
  private static long unit(long limit, long period) {
    for (long u : new long[] {1, 1_000, 1_000_000}) {
      if (period % u == 0 && limit <= ((1L << 53) - 1) / (period / u)) {
        return u;
      }
    }
    throw new IllegalArgumentException("no unit");
  }

  Expected decide(long t, long n) {
    boolean exceeds = config.stream().anyMatch(bw -> n > bw.burst());
    boolean allowed = !exceeds && allAllow(t, n);
    if (allowed) {
      bandwidths.forEach(m -> m.consume(t, n));
    }
    long maxBurst = config.stream().mapToLong(Bandwidth::burst).max().orElseThrow();
    long remaining = largest(0, maxBurst, k -> allAllow(t, k));
    long retry = 0;
    if (!allowed && !exceeds) {
      retry = smallest(1, horizon, d -> allAllow(t + d, n));
    }
    long reset = smallest(0, horizon, d -> bandwidths.stream().allMatch(m -> m.fresh(t + d)));
    RateLimitDecision.Reason reason = allowed ? RateLimitDecision.Reason.ALLOWED
        : exceeds ? RateLimitDecision.Reason.EXCEEDS_CAPACITY : RateLimitDecision.Reason.RATE_LIMITED;
    return new Expected(reason, remaining, retry, reset);
  }

  private boolean allAllow(long t, long n) {
    return bandwidths.stream().allMatch(m -> m.wouldAllow(t, n));
  }

  /** The smallest x in [lo, hi] with p(x), p monotone false-then-true. */
  private static long smallest(long lo, long hi, LongPredicate p) {
    if (!p.test(hi)) {
      throw new AssertionError("model: predicate still false at the horizon " + hi);
    }
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (p.test(mid)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The largest x in [lo, hi] with p(x), p monotone true-then-false and true at lo. */
  private static long largest(long lo, long hi, LongPredicate p) {
    while (lo < hi) {
      long mid = lo + (hi - lo + 1) / 2;
      if (p.test(mid)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Tokens refill continuously at L / P up to B; a request takes n if there are n. */
  static final class TokenBucket implements BandwidthModel {
    private final Ratio rate;
    private final Ratio burst;
    private Ratio tokens;
    private long last = Long.MIN_VALUE;

    TokenBucket(long limit, long period, long burst) {
      this.rate = Ratio.of(limit, period);
      this.burst = Ratio.of(burst);
      this.tokens = this.burst;
    }

    private Ratio tokensAt(long t) {
      return last == Long.MIN_VALUE ? burst : burst.min(tokens.plus(rate.times(t - last)));
    }

    @Override
    public boolean wouldAllow(long t, long n) {
      return tokensAt(t).compareTo(Ratio.of(n)) >= 0;
    }

    @Override
    public void consume(long t, long n) {
      tokens = tokensAt(t).minus(Ratio.of(n));
      last = t;
    }

    @Override
    public boolean fresh(long t) {
      return tokensAt(t).compareTo(burst) == 0;
    }
  }

  /** The theoretical arrival time TAT advances by T = P / L per permit; admit while TAT - t stays within B × T. */
  static final class Gcra implements BandwidthModel {
    private final Ratio interval;
    private final Ratio tolerance;
    private Ratio tat = Ratio.of(Long.MIN_VALUE / 4);

    Gcra(long limit, long period, long burst) {
      this.interval = Ratio.of(period, limit);
      this.tolerance = interval.times(burst);
    }

    @Override
    public boolean wouldAllow(long t, long n) {
      Ratio next = tat.max(Ratio.of(t)).plus(interval.times(n));
      return next.compareTo(Ratio.of(t).plus(tolerance)) <= 0;
    }

    @Override
    public void consume(long t, long n) {
      tat = tat.max(Ratio.of(t)).plus(interval.times(n));
    }

    @Override
    public boolean fresh(long t) {
      return tat.compareTo(Ratio.of(t)) <= 0;
    }
  }

  /** A count per aligned window [k P, (k + 1) P). */
  static final class FixedWindow implements BandwidthModel {
    private final long limit;
    private final long period;
    private final Map<Long, Long> counts = new HashMap<>();

    FixedWindow(long limit, long period) {
      this.limit = limit;
      this.period = period;
    }

    private long count(long t) {
      return counts.getOrDefault(Math.floorDiv(t, period), 0L);
    }

    @Override
    public boolean wouldAllow(long t, long n) {
      return count(t) + n <= limit;
    }

    @Override
    public void consume(long t, long n) {
      counts.merge(Math.floorDiv(t, period), n, Long::sum);
    }

    @Override
    public boolean fresh(long t) {
      return count(t) == 0;
    }
  }

  /** Every admitted permit's time; count those in (t - P, t]. */
  static final class SlidingLog implements BandwidthModel {
    private final long limit;
    private final long period;
    private final List<Long> times = new ArrayList<>();

    SlidingLog(long limit, long period) {
      this.limit = limit;
      this.period = period;
    }

    private long count(long t) {
      return times.stream().filter(x -> x > t - period && x <= t).count();
    }

    @Override
    public boolean wouldAllow(long t, long n) {
      return count(t) + n <= limit;
    }

    @Override
    public void consume(long t, long n) {
      for (long i = 0; i < n; i++) {
        times.add(t);
      }
    }

    @Override
    public boolean fresh(long t) {
      return count(t) == 0;
    }
  }

  /**
   * previous window's count × the share of it the sliding window still covers, plus this window's count;
   * the share is measured in whole units u: (Pu - floor(e / u)) / Pu.
   */
  static final class SlidingWindowCounter implements BandwidthModel {
    private final long limit;
    private final long period;
    private final long unit;
    private final Map<Long, Long> counts = new HashMap<>();

    SlidingWindowCounter(long limit, long period, long unit) {
      this.limit = limit;
      this.period = period;
      this.unit = unit;
    }

    private Ratio weighted(long t) {
      long w = Math.floorDiv(t, period);
      long units = period / unit;
      long elapsedUnits = (t - w * period) / unit;
      Ratio share = Ratio.of(units - elapsedUnits, units);
      return share.times(counts.getOrDefault(w - 1, 0L)).plus(Ratio.of(counts.getOrDefault(w, 0L)));
    }

    @Override
    public boolean wouldAllow(long t, long n) {
      return weighted(t).plus(Ratio.of(n)).compareTo(Ratio.of(limit)) <= 0;
    }

    @Override
    public void consume(long t, long n) {
      counts.merge(Math.floorDiv(t, period), n, Long::sum);
    }

    @Override
    public boolean fresh(long t) {
      long w = Math.floorDiv(t, period);
      return counts.getOrDefault(w, 0L) == 0 && counts.getOrDefault(w - 1, 0L) == 0;
    }
  }
}
