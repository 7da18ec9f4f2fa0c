package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Sliding window counter: per bandwidth, the current window's index and count and the previous window's
 * count. A request of {@code n} is admitted when
 * {@code previous × (P - e) / P + current + n <= limit}, with {@code e} the time elapsed in the current
 * window, computed exactly as {@code previous × (Pu - eu) + (current + n) × Pu <= limit × Pu} in units of
 * {@code u} µs. {@code tag[i]} is the period, 0 when fresh. Mirrors {@code sliding_window_counter.lua}.
 */
final class SlidingWindowCounterState extends KeyState {

  private long[] tag = new long[1];
  private long[] window = new long[1];
  private long[] previous = new long[1];
  private long[] current = new long[1];
  private long[] w = new long[1];
  private long[] p = new long[1];
  private long[] c = new long[1];
  private long[] elapsedUnits = new long[1];

  SlidingWindowCounterState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void decide(CompiledLimit limit, long now, long permits) {
    int n = limit.count();
    tag = grow(tag, n);
    window = grow(window, n);
    previous = grow(previous, n);
    current = grow(current, n);
    w = grow(w, n);
    p = grow(p, n);
    c = grow(c, n);
    elapsedUnits = grow(elapsedUnits, n);
    boolean exceeds = exceedsCapacity(limit, permits);
    boolean granted = !exceeds;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long max = limit.limit(i);
      long units = period / limit.unit(i);
      long cw = Math.floorDiv(now, period);
      long wi = cw;
      long pi = 0;
      long ci = 0;
      if (tag[i] == period) {
        wi = window[i];
        pi = Math.min(previous[i], max);
        ci = Math.min(current[i], max);
        if (wi == cw - 1) {
          pi = ci;
          ci = 0;
          wi = cw;
        } else if (wi < cw - 1) {
          pi = 0;
          ci = 0;
          wi = cw;
        }
        // wi > cw: the clock went back; stay at the start of the later window
      } else if (tag[i] != 0) {
        pi = Math.min(previous[i], max); // the period changed: carry both counts (against the caller)
        ci = Math.min(current[i], max);
      }
      long eu = wi == cw ? (now - cw * period) / limit.unit(i) : 0;
      w[i] = wi;
      p[i] = pi;
      c[i] = ci;
      elapsedUnits[i] = eu;
      if (!exceeds && pi * (units - eu) + (ci + permits) * units > max * units) {
        granted = false;
      }
    }
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    long reset = 0;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long max = limit.limit(i);
      long unit = limit.unit(i);
      long units = period / unit;
      long wi = w[i];
      long pi = p[i];
      long ci = c[i];
      long eu = elapsedUnits[i];
      boolean fits = pi * (units - eu) + (ci + permits) * units <= max * units;
      if (granted) {
        ci += permits;
        window[i] = wi;
        previous[i] = pi;
        current[i] = ci;
        tag[i] = period;
      } else if (!exceeds && !fits) {
        long at;
        if (ci + permits <= max) {
          // later in this window, once the previous window weighs little enough
          long x = units - Math.floorDiv((max - ci - permits) * units, pi);
          at = wi * period + x * unit;
        } else {
          // in the next window, where this window's count becomes the previous one
          long x = Math.max(0, units - Math.floorDiv((max - permits) * units, ci));
          at = (wi + 1) * period + x * unit;
        }
        retry = Math.max(retry, Math.max(1, at - now));
      }
      remainingMin = Math.min(remainingMin, Math.max(0, Math.floorDiv(max * units - pi * (units - eu), units) - ci));
      if (ci > 0) {
        reset = Math.max(reset, (wi + 2) * period - now);
      } else if (pi > 0) {
        reset = Math.max(reset, (wi + 1) * period - now);
      }
    }
    reason = granted ? ALLOWED : exceeds ? EXCEEDS_CAPACITY : RATE_LIMITED;
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
