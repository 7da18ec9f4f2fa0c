package io.distkit.ratelimit.local;

import static io.distkit.ratelimit.internal.CompiledLimit.ceilDiv;

import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * The arithmetic the token bucket and GCRA share. Per bandwidth, the "deficit" is how many permits the key
 * owes, in units of {@code 1 / a} µs ({@code b} per permit; refilling pays back {@code a} per µs). A request
 * of {@code n} is admitted while {@code deficit + n × b <= burst × b} holds for every bandwidth. In Redis the
 * two algorithms differ only in what they store (the token bucket the deficit and the time of the last grant,
 * GCRA the time at which the deficit will be paid off); a key whose rate changes owes the whole permits it
 * owed at that moment, rounded up, under both. In this JVM, where time never goes back, both use
 * {@link GcraState} (or {@link GcraWordState} for one bandwidth). Mirrors {@code deficit.lua}.
 */
abstract class DeficitState extends LockedState {

  /** Scratch: each bandwidth's deficit as of the last decision, after its grant if any. */
  private long[] deficits = new long[1];

  DeficitState(CompiledLimit limit) {
    super(limit);
  }

  /** The time to decide at: the caller's, or later if the state says time went back. */
  abstract long now(long time);

  /** Makes room for {@code n} bandwidths. */
  abstract void ensureCapacity(int n);

  /** How many bandwidths the stored arrays hold (a torn read may see old, shorter ones). */
  abstract int capacity();

  /** Bandwidth {@code i}'s deficit at {@code now}, at most {@code burst × b}. */
  abstract long deficit(CompiledLimit limit, int i, long now);

  /** Stores bandwidth {@code i}'s deficit after a grant at {@code now}. */
  abstract void store(CompiledLimit limit, int i, long now, long deficit);

  /** Called once after every bandwidth is stored. */
  void granted(long now) {}

  @Override
  final boolean wouldFit(CompiledLimit limit, long time, long permits) {
    if (permits > limit.capacity()) {
      return false;
    }
    int n = limit.count();
    if (capacity() < n) {
      return true; // arrays not grown yet: let the lock decide
    }
    long now = now(time);
    for (int i = 0; i < n; i++) {
      if (deficit(limit, i, now) + permits * limit.b(i) > limit.burst(i) * limit.b(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  final void observe(CompiledLimit limit, long time) {
    int n = prepare(limit);
    long now = now(time);
    for (int i = 0; i < n; i++) {
      deficits[i] = deficit(limit, i, now);
    }
  }

  @Override
  final boolean admit(CompiledLimit limit, long time, long permits) {
    int n = prepare(limit);
    long now = now(time);
    boolean fits = true;
    for (int i = 0; i < n; i++) {
      long d = deficit(limit, i, now);
      deficits[i] = d;
      if (d + permits * limit.b(i) > limit.burst(i) * limit.b(i)) {
        fits = false;
      }
    }
    if (fits) {
      beginWrite();
      for (int i = 0; i < n; i++) {
        deficits[i] += permits * limit.b(i);
        store(limit, i, now, deficits[i]);
      }
      granted(now);
      endWrite();
    }
    return fits;
  }

  private int prepare(CompiledLimit limit) {
    int n = limit.count();
    ensureCapacity(n);
    if (deficits.length < n) {
      deficits = new long[n];
    }
    return n;
  }

  @Override
  final void explain(CompiledLimit limit, long permits) {
    long remainingMin = Long.MAX_VALUE;
    long retry = 0;
    long reset = 0;
    for (int i = 0; i < limit.count(); i++) {
      long a = limit.a(i);
      long b = limit.b(i);
      long full = limit.burst(i) * b;
      long d = deficits[i];
      if (reason == RATE_LIMITED && d + permits * b > full) {
        retry = Math.max(retry, ceilDiv(d + permits * b - full, a));
      }
      remainingMin = Math.min(remainingMin, (full - d) / b);
      reset = Math.max(reset, ceilDiv(d, a));
    }
    remaining = remainingMin;
    retryAfter = retry;
    resetAfter = reset;
  }

  /**
   * A deficit counted at another rate, converted to this one: the whole permits owed, rounded up (against
   * the caller), at most a full burst.
   */
  static long converted(CompiledLimit limit, int i, long oldDeficit, long oldB) {
    long owed = ceilDiv(oldDeficit, oldB);
    return owed >= limit.burst(i) ? limit.burst(i) * limit.b(i) : owed * limit.b(i);
  }
}
