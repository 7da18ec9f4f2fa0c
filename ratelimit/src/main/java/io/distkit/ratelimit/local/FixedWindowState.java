package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Fixed window: per bandwidth, the window index ({@code floor(now / period)}, aligned to the epoch) and its
 * count. {@code tag[i]} is the period the index was computed with, 0 when fresh. Mirrors
 * {@code fixed_window.lua}.
 */
final class FixedWindowState extends LockedState {

  private long[] tag = new long[1];
  private long[] window = new long[1];
  private long[] count = new long[1];
  // scratch: the current window and count of each bandwidth as of the last decision
  private long[] nowWindow = new long[1];
  private long[] nowCount = new long[1];
  private long now;

  FixedWindowState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void observe(CompiledLimit limit, long time) {
    int n = limit.count();
    tag = grow(tag, n);
    window = grow(window, n);
    count = grow(count, n);
    nowWindow = grow(nowWindow, n);
    nowCount = grow(nowCount, n);
    now = time;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long current = Math.floorDiv(time, period);
      long w = current;
      long c = 0;
      if (tag[i] == period) {
        w = window[i];
        c = Math.min(count[i], limit.limit(i));
        if (w < current) {
          w = current;
          c = 0;
        }
        // w > current: the clock went back; stay in the later window
      } else if (tag[i] != 0) {
        c = Math.min(count[i], limit.limit(i)); // the period changed: carry the count (against the caller)
      }
      nowWindow[i] = w;
      nowCount[i] = c;
    }
  }

  @Override
  boolean admit(CompiledLimit limit, long time, long permits) {
    observe(limit, time);
    for (int i = 0; i < limit.count(); i++) {
      if (nowCount[i] + permits > limit.limit(i)) {
        return false;
      }
    }
    for (int i = 0; i < limit.count(); i++) {
      nowCount[i] += permits;
      window[i] = nowWindow[i];
      count[i] = nowCount[i];
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
      long c = nowCount[i];
      long windowEnd = (nowWindow[i] + 1) * limit.period(i) - now;
      if (reason == RATE_LIMITED && c + permits > limit.limit(i)) {
        retry = Math.max(retry, windowEnd);
      }
      remainingMin = Math.min(remainingMin, limit.limit(i) - c);
      if (c > 0) {
        reset = Math.max(reset, windowEnd);
      }
    }
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
