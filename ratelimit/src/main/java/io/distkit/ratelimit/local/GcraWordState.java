package io.distkit.ratelimit.local;

import static io.distkit.ratelimit.internal.CompiledLimit.ceilDiv;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.internal.CompiledLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A single-bandwidth token bucket or GCRA as one {@code long}, updated by compare-and-set: no lock, no
 * allocation, and a denial is a plain read that writes nothing (so threads hammering a limited key share the
 * cache line instead of fighting over it).
 *
 * <p>The word is GCRA's theoretical arrival time, the moment the key's deficit is paid off, in units of
 * {@code 1/a} µs counted from {@link #base} (for a rate of {@code a/b} permits per µs): {@code word - now × a}
 * is the deficit ({@code b} per permit owed). A request of {@code n} is granted when
 * {@code max(word, now × a) + n × b - now × a <= burst × b}, and then that becomes the word. The token bucket
 * makes exactly these decisions (see {@link DeficitState}), so both algorithms use this state for one
 * bandwidth; the arithmetic is exact, remainders included.
 *
 * <p>The word stays below 2^62: {@code now - base} is kept below {@link #maxElapsed}, after which the key gets
 * a new state with a later base (a rebase, at most once every 18 minutes for the largest rates accepted here,
 * in practice never). A limit whose {@code a} exceeds {@link #MAX_A} uses a {@link LockedState} instead.
 */
final class GcraWordState extends KeyState {

  /** The largest refill numerator {@code a} served: larger ones would need rebases too often. */
  static final long MAX_A = 1L << 32;

  private static final long RETIRED = Long.MIN_VALUE;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(GcraWordState.class, "word", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CompiledLimit limit;
  private final long base;
  private final long a;
  private final long b;
  private final long full;
  private final long maxElapsed;

  /** The arrival time, or {@link #RETIRED}. Accessed through {@link #WORD}. */
  @SuppressWarnings("unused")
  private volatile long word;

  private GcraWordState(CompiledLimit limit, long base, long word) {
    super(limit.algorithm());
    this.limit = limit;
    this.base = base;
    this.a = limit.a(0);
    this.b = limit.b(0);
    this.full = limit.burst(0) * b;
    this.maxElapsed = ((1L << 62) - full) / a;
    this.word = word;
  }

  /** Whether a limit is one this state can serve: one bandwidth of a token bucket or GCRA, {@code a <= 2^32}. */
  static boolean eligible(CompiledLimit limit) {
    return limit.count() == 1 && limit.algorithm().supportsBurst() && limit.a(0) <= MAX_A;
  }

  /** A fresh key's state. */
  static GcraWordState fresh(CompiledLimit limit, long now) {
    return new GcraWordState(limit, now, 0);
  }

  @Override
  boolean serves(CompiledLimit other, long now) {
    return fits(other, now) && (long) WORD.getOpaque(this) != RETIRED;
  }

  private boolean sameRate(CompiledLimit other) {
    return other.algorithm() == algorithm && other.count() == 1 && other.a(0) == a && other.b(0) == b
        && other.burst(0) == limit.burst(0);
  }

  /** Whether this state can decide under {@code other} at {@code now}, retirement aside. */
  private boolean fits(CompiledLimit other, long now) {
    return (other == limit || sameRate(other)) && now - base <= maxElapsed;
  }

  @Override
  int consume(CompiledLimit other, long now, long permits) {
    if (!fits(other, now)) {
      return STALE;
    }
    long nowUnits = (now - base) * a;
    if (permits > limit.capacity()) {
      return (long) WORD.getOpaque(this) == RETIRED ? STALE : EXCEEDS_CAPACITY;
    }
    long cost = permits * b;
    long w = (long) WORD.getVolatile(this);
    while (true) {
      if (w == RETIRED) {
        return STALE;
      }
      long next = Math.max(w, nowUnits) + cost;
      if (next - nowUnits > full) {
        return RATE_LIMITED;
      }
      long witness = (long) WORD.compareAndExchange(this, w, next);
      if (witness == w) {
        return ALLOWED;
      }
      w = backOff(witness);
    }
  }

  @Override
  @Nullable RateLimitDecision decide(CompiledLimit other, long now, long permits) {
    if (!fits(other, now)) {
      return null;
    }
    long nowUnits = (now - base) * a;
    long cost = permits * b;
    long w = (long) WORD.getVolatile(this);
    while (true) {
      if (w == RETIRED) {
        return null;
      }
      long deficit = Math.min(Math.max(0, w - nowUnits), full); // far ahead can only mean time went back
      if (permits > limit.capacity()) {
        return decision(EXCEEDS_CAPACITY, (full - deficit) / b, 0, ceilDiv(deficit, a));
      }
      long next = Math.max(w, nowUnits) + cost;
      if (next - nowUnits > full) {
        return decision(RATE_LIMITED, (full - deficit) / b, ceilDiv(deficit + cost - full, a), ceilDiv(deficit, a));
      }
      long witness = (long) WORD.compareAndExchange(this, w, next);
      if (witness == w) {
        long after = next - nowUnits;
        return decision(ALLOWED, (full - after) / b, 0, ceilDiv(after, a));
      }
      w = backOff(witness);
    }
  }

  /**
   * After losing the word to another thread: step aside briefly ({@code parkNanos(1)}, which sleeps for the
   * scheduler's smallest slice, tens of µs on Linux) and read the word again. Retrying at once would make every
   * grant move the word's cache line between cores, so two threads granting on one key would together do
   * fewer decisions than one alone; stepping aside lets the winner run on uncontended meanwhile.
   */
  private long backOff(long witness) {
    LockSupport.parkNanos(1);
    return (long) WORD.getVolatile(this);
  }

  @Override
  boolean forgetIfFresh(long now) {
    long w = (long) WORD.getVolatile(this);
    long margin = CompiledLimit.FORGET_MARGIN_MICROS;
    return w != RETIRED && now - base - margin >= 0 && w <= (now - base - margin) * a
        && WORD.compareAndSet(this, w, RETIRED);
  }

  @Override
  void retire() {
    WORD.setVolatile(this, RETIRED);
  }

  /**
   * Retires this state and returns its successor for {@code next} at {@code now}: a word with a later base
   * when {@code next} has the same rate, else a locked state of the same algorithm owing what this one owes.
   * Called under the map's lock for the key.
   */
  KeyState successor(CompiledLimit next, long now) {
    long w = (long) WORD.getAndSet(this, RETIRED);
    long deficit = w == RETIRED ? 0 : Math.max(0, w - (now - base) * a);
    if (sameRate(next) && eligible(next)) {
      return new GcraWordState(next, now, deficit);
    }
    GcraState locked = new GcraState(next);
    if (deficit > 0) {
      locked.seed(now, deficit, a, b);
    }
    return locked;
  }

  @Override
  public String toString() {
    long w = (long) WORD.getVolatile(this);
    return algorithm + " word " + (w == RETIRED ? "retired" : w + " / " + a + " us after " + base);
  }
}
