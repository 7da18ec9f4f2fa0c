package io.distkit.ratelimit.local;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * GCRA, and the token bucket, which makes the same decisions (see {@link DeficitState}): per bandwidth, the
 * theoretical arrival time {@code tat + rem / a} µs, the moment the key's deficit
 * is paid off (the remainder carries the fraction exactly); fresh once it has passed. The deficit at
 * {@code now} is {@code (tat - now) × a + rem}. {@code scaleA[i]} and {@code scaleB[i]} are the rate it was
 * written with, 0 when fresh. Mirrors {@code gcra.lua} and {@code token_bucket.lua} (which store the same
 * deficit another way). Used for limits that {@link GcraWordState} does not serve: several bandwidths.
 */
final class GcraState extends DeficitState {

  private long[] scaleA = new long[1];
  private long[] scaleB = new long[1];
  private long[] tat = new long[1];
  private long[] rem = new long[1];

  GcraState(CompiledLimit limit) {
    super(limit);
  }

  /**
   * Starts the state owing {@code deficit} at {@code now} in bandwidth 0, counted at rate {@code a/b}: how a
   * {@link GcraWordState} hands its key over when the key's limit changes.
   */
  void seed(long now, long deficit, long a, long b) {
    tat[0] = now + deficit / a;
    rem[0] = deficit % a;
    scaleA[0] = a;
    scaleB[0] = b;
  }

  @Override
  long now(long time) {
    return time;
  }

  @Override
  void ensureCapacity(int n) {
    scaleA = grow(scaleA, n);
    scaleB = grow(scaleB, n);
    tat = grow(tat, n);
    rem = grow(rem, n);
  }

  @Override
  int capacity() {
    return Math.min(Math.min(scaleA.length, scaleB.length), Math.min(tat.length, rem.length)); // only ever grow
  }

  @Override
  long deficit(CompiledLimit limit, int i, long now) {
    if (scaleA[i] == 0 || tat[i] < now) {
      return 0;
    }
    long a = limit.a(i);
    long full = limit.burst(i) * limit.b(i);
    long ahead = tat[i] - now;
    if (scaleA[i] == a && scaleB[i] == limit.b(i)) {
      // an arrival time far ahead (the clock went back) is just an empty bucket
      return ahead > limit.refillHorizon(i) ? full : Math.min(ahead * a + rem[i], full);
    }
    if (ahead > CompiledLimit.MAX_EXACT / scaleA[i]) {
      return full;
    }
    return converted(limit, i, ahead * scaleA[i] + rem[i], scaleB[i]);
  }

  @Override
  void store(CompiledLimit limit, int i, long now, long d) {
    long a = limit.a(i);
    tat[i] = now + d / a;
    rem[i] = d % a;
    scaleA[i] = a;
    scaleB[i] = limit.b(i);
  }
}
