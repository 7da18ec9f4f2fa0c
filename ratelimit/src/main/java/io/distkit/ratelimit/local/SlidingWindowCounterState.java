package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Sliding window counter: per bandwidth, the current window's index and count and the previous window's
 * count. A request of {@code n} is admitted when
 * {@code previous × (P - e) / P + current + n <= limit}, with {@code e} the time elapsed in the current
 * window, computed exactly as {@code previous × (Pu - eu) + (current + n) × Pu <= limit × Pu} in units of
 * {@code u} µs. {@code tag[i]} is the period, 0 when fresh. Mirrors {@code sliding_window_counter.lua}.
 */
final class SlidingWindowCounterState extends LockedState {

  private long[] tag = new long[1];
  private long[] window = new long[1];
  private long[] previous = new long[1];
  private long[] current = new long[1];
  // scratch: each bandwidth as of the last decision
  private long[] w = new long[1];
  private long[] p = new long[1];
  private long[] c = new long[1];
  private long[] elapsedUnits = new long[1];
  private long now;

  SlidingWindowCounterState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void observe(CompiledLimit limit, long time) {
    int n = limit.count();
    tag = grow(tag, n);
    window = grow(window, n);
    previous = grow(previous, n);
    current = grow(current, n);
    w = grow(w, n);
    p = grow(p, n);
    c = grow(c, n);
    elapsedUnits = grow(elapsedUnits, n);
    now = time;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long max = limit.limit(i);
      long cw = Math.floorDiv(time, period);
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
      w[i] = wi;
      p[i] = pi;
      c[i] = ci;
      elapsedUnits[i] = wi == cw ? (time - cw * period) / limit.unit(i) : 0;
    }
  }

  private boolean fits(CompiledLimit limit, int i, long permits) {
    long units = limit.period(i) / limit.unit(i);
    return p[i] * (units - elapsedUnits[i]) + (c[i] + permits) * units <= limit.limit(i) * units;
  }

  @Override
  boolean admit(CompiledLimit limit, long time, long permits) {
    observe(limit, time);
    for (int i = 0; i < limit.count(); i++) {
      if (!fits(limit, i, permits)) {
        return false;
      }
    }
    for (int i = 0; i < limit.count(); i++) {
      c[i] += permits;
      window[i] = w[i];
      previous[i] = p[i];
      current[i] = c[i];
      tag[i] = limit.period(i);
    }
    return true;
  }

  @Override
  void explain(CompiledLimit limit, long permits) {
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    long reset = 0;
    for (int i = 0; i < limit.count(); i++) {
      long period = limit.period(i);
      long max = limit.limit(i);
      long unit = limit.unit(i);
      long units = period / unit;
      long wi = w[i];
      long pi = p[i];
      long ci = c[i];
      long eu = elapsedUnits[i];
      if (reason == RATE_LIMITED && !fits(limit, i, permits)) {
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
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
