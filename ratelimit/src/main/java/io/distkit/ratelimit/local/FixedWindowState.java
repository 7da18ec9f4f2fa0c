package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Fixed window: per bandwidth, the window index ({@code floor(now / period)}, aligned to the epoch) and its
 * count. {@code tag[i]} is the period the index was computed with, 0 when fresh. Mirrors
 * {@code fixed_window.lua}.
 */
final class FixedWindowState extends KeyState {

  private long[] tag = new long[1];
  private long[] window = new long[1];
  private long[] count = new long[1];
  private long[] nowWindow = new long[1];
  private long[] nowCount = new long[1];

  FixedWindowState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void decide(CompiledLimit limit, long now, long permits) {
    int n = limit.count();
    tag = grow(tag, n);
    window = grow(window, n);
    count = grow(count, n);
    nowWindow = grow(nowWindow, n);
    nowCount = grow(nowCount, n);
    boolean exceeds = exceedsCapacity(limit, permits);
    boolean granted = !exceeds;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long current = Math.floorDiv(now, period);
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
      if (!exceeds && c + permits > limit.limit(i)) {
        granted = false;
      }
    }
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    long reset = 0;
    for (int i = 0; i < n; i++) {
      long period = limit.period(i);
      long c = nowCount[i];
      long windowEnd = (nowWindow[i] + 1) * period - now;
      if (granted) {
        c += permits;
        window[i] = nowWindow[i];
        count[i] = c;
        tag[i] = period;
      } else if (!exceeds && c + permits > limit.limit(i)) {
        retry = Math.max(retry, windowEnd);
      }
      remainingMin = Math.min(remainingMin, limit.limit(i) - c);
      if (c > 0) {
        reset = Math.max(reset, windowEnd);
      }
    }
    reason = granted ? ALLOWED : exceeds ? EXCEEDS_CAPACITY : RATE_LIMITED;
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
