package io.distkit.ratelimit.local;

import static io.distkit.ratelimit.internal.CompiledLimit.ceilDiv;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Token bucket: per bandwidth, the tokens missing from a full bucket ("deficit"), multiplied by {@code b} so
 * that refilling removes exactly {@code a} per µs, and the time of the last grant. {@code scale[i]} is the
 * {@code b} the deficit was counted in; 0 means the bandwidth is fresh (full). Keeping the deficit rather
 * than the tokens left means a key keeps the permits it owes when its limit changes. Mirrors
 * {@code token_bucket.lua}.
 */
final class TokenBucketState extends KeyState {

  private long last;
  private long[] scale = new long[1];
  private long[] deficit = new long[1];
  private long[] current = new long[1];

  TokenBucketState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  void decide(CompiledLimit limit, long time, long permits) {
    int n = limit.count();
    scale = grow(scale, n);
    deficit = grow(deficit, n);
    current = grow(current, n);
    long t = Math.max(time, last);
    long elapsed = t - last;
    boolean exceeds = exceedsCapacity(limit, permits);
    boolean granted = !exceeds;
    for (int i = 0; i < n; i++) {
      long a = limit.a(i);
      long b = limit.b(i);
      long full = limit.burst(i) * b;
      long d = 0;
      if (scale[i] != 0) {
        d = deficit[i];
        if (scale[i] != b) {
          // the limit changed: keep the whole permits owed, rounded up (against the caller)
          long owed = ceilDiv(d, scale[i]);
          d = owed >= limit.burst(i) ? full : owed * b;
        }
        if (d > 0) {
          d = elapsed >= ceilDiv(d, a) ? 0 : d - elapsed * a;
        }
      }
      current[i] = d;
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
      long d = current[i];
      if (granted) {
        d += permits * b;
        deficit[i] = d;
        scale[i] = b;
      } else if (!exceeds && d + permits * b > full) {
        retry = Math.max(retry, ceilDiv(d + permits * b - full, a));
      }
      remainingMin = Math.min(remainingMin, (full - d) / b);
      reset = Math.max(reset, ceilDiv(d, a));
    }
    if (granted) {
      last = t;
    }
    reason = granted ? ALLOWED : exceeds ? EXCEEDS_CAPACITY : RATE_LIMITED;
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }
}
