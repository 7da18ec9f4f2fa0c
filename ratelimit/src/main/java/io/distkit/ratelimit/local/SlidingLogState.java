package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Sliding log: the time of every permit admitted within the longest period, oldest first, in a ring buffer
 * that grows up to the largest limit. A bandwidth's count is the number of entries newer than
 * {@code now - period}, found by binary search. Mirrors {@code sliding_log.lua}.
 */
final class SlidingLogState extends LockedState {

  private long[] times = new long[16];
  private int head;
  private int size;
  // scratch: the time of the last decision and where each bandwidth's window starts in the log
  private int[] start = new int[1];
  private long now;

  SlidingLogState(CompiledLimit limit) {
    super(limit);
  }

  private long at(int index) {
    return times[(head + index) % times.length];
  }

  /** The index of the first entry newer than {@code bound}. */
  private int firstAfter(long bound) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (at(mid) <= bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private void append(long time, long permits) {
    if (size + permits > times.length) {
      long[] larger = new long[(int) Math.max(times.length * 2L, size + permits)];
      for (int i = 0; i < size; i++) {
        larger[i] = at(i);
      }
      times = larger;
      head = 0;
    }
    for (long k = 0; k < permits; k++) {
      times[(head + size) % times.length] = time;
      size++;
    }
  }

  @Override
  void observe(CompiledLimit limit, long time) {
    int n = limit.count();
    if (start.length < n) {
      start = new int[n];
    }
    now = size > 0 ? Math.max(time, at(size - 1)) : time;
    while (size > 0 && times[head] <= now - limit.maxPeriod()) {
      head = (head + 1) % times.length;
      size--;
    }
    for (int i = 0; i < n; i++) {
      start[i] = firstAfter(now - limit.period(i));
    }
  }

  @Override
  boolean admit(CompiledLimit limit, long time, long permits) {
    observe(limit, time);
    for (int i = 0; i < limit.count(); i++) {
      if (size - start[i] + permits > limit.limit(i)) {
        return false;
      }
    }
    append(now, permits);
    return true;
  }

  @Override
  void explain(CompiledLimit limit, long permits) {
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    for (int i = 0; i < limit.count(); i++) {
      long counted = size - start[i];
      if (reason == RATE_LIMITED && counted + permits > limit.limit(i)) {
        // the k-th oldest entry in the window must leave it first
        long k = counted + permits - limit.limit(i);
        retry = Math.max(retry, at((int) (start[i] + k - 1)) + limit.period(i) - now);
      }
      remainingMin = Math.min(remainingMin, limit.limit(i) - counted);
    }
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = size > 0 ? at(size - 1) + limit.maxPeriod() - now : 0;
  }
}
