package io.distkit.ratelimit.local;

import static io.distkit.ratelimit.internal.CompiledLimit.ceilDiv;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * GCRA: per bandwidth, the theoretical arrival time {@code tat + rem / a} µs (the remainder carries the
 * fraction exactly). The bandwidth is fresh once that time has passed. {@code scaleA[i]} and
 * {@code scaleB[i]} are the rate {@code a / b} it was written with, 0 when fresh. Mirrors {@code gcra.lua}.
 *
 * <p>"debt" below is {@code (tat - now) × a + rem}: how far the arrival time is ahead of now, in units of
 * {@code 1 / a} µs, that is {@code b} per permit owed. A request of {@code n} permits adds {@code n × b}; it
 * is admitted while the debt stays within {@code burst × b}. The arithmetic is the token bucket's, from one
 * timestamp of state instead of a timestamp and a count.
 */
final class GcraState extends KeyState {

  private long[] scaleA = new long[1];
  private long[] scaleB = new long[1];
  private long[] tat = new long[1];
  private long[] rem = new long[1];
  private long[] debt = new long[1];

  GcraState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void decide(CompiledLimit limit, long now, long permits) {
    int n = limit.count();
    scaleA = grow(scaleA, n);
    scaleB = grow(scaleB, n);
    tat = grow(tat, n);
    rem = grow(rem, n);
    debt = grow(debt, n);
    boolean exceeds = exceedsCapacity(limit, permits);
    boolean granted = !exceeds;
    for (int i = 0; i < n; i++) {
      long a = limit.a(i);
      long b = limit.b(i);
      long full = limit.burst(i) * b;
      long d = 0;
      if (scaleA[i] != 0 && tat[i] >= now) {
        long ahead = tat[i] - now;
        if (scaleA[i] == a && scaleB[i] == b) {
          // an arrival time far ahead (the clock went back) is just an empty bucket
          d = ahead > ceilDiv(full, a) ? full : Math.min(ahead * a + rem[i], full);
        } else if (ahead > CompiledLimit.MAX_EXACT / scaleA[i]) {
          d = full;
        } else {
          // the limit changed: keep the whole permits owed, rounded up (against the caller)
          long owed = ceilDiv(ahead * scaleA[i] + rem[i], scaleB[i]);
          d = owed >= limit.burst(i) ? full : owed * b;
        }
      }
      debt[i] = d;
      if (!exceeds && d + permits * b > full) {
        granted = false;
      }
    }
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    long reset = 0;
    for (int i = 0; i < n; i++) {
      long a = limit.a(i);
      long b = limit.b(i);
      long full = limit.burst(i) * b;
      long d = debt[i];
      if (granted) {
        d += permits * b;
        tat[i] = now + d / a;
        rem[i] = d % a;
        scaleA[i] = a;
        scaleB[i] = b;
      } else if (!exceeds && d + permits * b > full) {
        retry = Math.max(retry, ceilDiv(d + permits * b - full, a));
      }
      remainingMin = Math.min(remainingMin, (full - d) / b);
      reset = Math.max(reset, ceilDiv(d, a));
    }
    reason = granted ? ALLOWED : exceeds ? EXCEEDS_CAPACITY : RATE_LIMITED;
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
