package io.distkit.hashing.redis;

import io.distkit.core.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) for versioning writes: {@code epochMillis × 2^16 + counter}. It
 * never goes back, every {@link #next()} is larger than anything it returned or {@linkplain #observe observed}
 * before, and it stays close to the wall clock. Observing the versions a router reads (and the newer versions a
 * replica refuses a write for) puts its own later writes after them, whatever the clocks of the other writers.
 * Lock-free and thread-safe.
 */
final class HybridClock {

  private static final int COUNTER_BITS = 16;

  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  HybridClock(Clock clock) {
    this.clock = clock;
  }

  /** A version above every one returned or observed so far. */
  long next() {
    long physical = clock.epochMillis() << COUNTER_BITS;
    return last.updateAndGet(previous -> Math.max(previous + 1, physical));
  }

  /** Moves the clock to at least a version seen elsewhere. */
  void observe(long version) {
    last.accumulateAndGet(version, Math::max);
  }
}
