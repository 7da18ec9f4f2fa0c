package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * Token bucket: per bandwidth, the deficit (tokens missing from a full bucket, times {@code b}) as of the
 * last grant, and that grant's time; refilling pays back {@code a} per µs since. {@code scale[i]} is the
 * {@code b} the deficit was counted in; 0 means fresh (full). Keeping the deficit rather than the tokens left
 * means a key keeps the permits it owes when its limit changes. Mirrors {@code token_bucket.lua}.
 */
final class TokenBucketState extends DeficitState {

  private long last;
  private long[] scale = new long[1];
  private long[] deficit = new long[1];

  TokenBucketState(CompiledLimit limit) {
    super(limit);
  }

  @Override
  long now(long time) {
    return Math.max(time, last);
  }

  @Override
  void ensureCapacity(int n) {
    scale = grow(scale, n);
    deficit = grow(deficit, n);
  }

  @Override
  int capacity() {
    return Math.min(scale.length, deficit.length); // arrays only ever grow
  }

  @Override
  long deficit(CompiledLimit limit, int i, long now) {
    if (scale[i] == 0) {
      return 0;
    }
    long d = scale[i] == limit.b(i) ? deficit[i] : converted(limit, i, deficit[i], scale[i]);
    long elapsed = now - last;
    if (elapsed >= limit.refillHorizon(i)) {
      return 0; // paid off, and elapsed x a might not be exact any more
    }
    return Math.max(0, d - elapsed * limit.a(i));
  }

  @Override
  void store(CompiledLimit limit, int i, long now, long d) {
    deficit[i] = d;
    scale[i] = limit.b(i);
  }

  @Override
  void granted(long now) {
    last = now;
  }
}
