package io.distkit.ratelimit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A limiter's two counters, granted and denied, exact, and cheap enough for a decision that costs a clock read
 * and a compare-and-set: up to {@value #STRIPES} threads each get a stripe of their own (claimed on first use),
 * which only they write, with a plain increment, no atomic instruction and no cache line shared with another
 * thread. A thread whose stripe is taken by another counts in a {@link LongAdder} instead, so counts stay
 * exact whatever the number of threads; a stripe stays with its first thread (a dead thread's counts stay
 * counted).
 *
 * <p>Not API.
 */
public final class DecisionCounts {

  /** Threads that count without an atomic instruction; a power of two. */
  static final int STRIPES = 64;

  /** Longs between two stripes: 128 bytes, so that no two threads write one cache line (or its neighbour). */
  private static final int SPACING = 16;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] counts = new long[(STRIPES + 1) * SPACING]; // stripe i: [(i + 1) * SPACING], [+ 1]
  private final AtomicReferenceArray<Thread> owners = new AtomicReferenceArray<>(STRIPES);
  private final LongAdder sharedGranted = new LongAdder();
  private final LongAdder sharedDenied = new LongAdder();

  /**
   * Counts one decision.
   *
   * @param granted whether it granted
   * @return {@code granted}
   */
  public boolean count(boolean granted) {
    Thread me = Thread.currentThread();
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    int stripe = (int) me.getId() & (STRIPES - 1);
    Thread owner = owners.getPlain(stripe); // a stale null only sends us to the compare-and-set
    if (owner == me || (owner == null && owners.compareAndSet(stripe, null, me))) {
      int slot = (stripe + 1) * SPACING + (granted ? 0 : 1);
      LONGS.setOpaque(counts, slot, (long) LONGS.get(counts, slot) + 1); // only this thread writes the slot
    } else {
      (granted ? sharedGranted : sharedDenied).increment();
    }
    return granted;
  }

  /**
   * Decisions that granted so far.
   *
   * @return the count, exact as of some moment during the call
   */
  public long granted() {
    return sum(0) + sharedGranted.sum();
  }

  /**
   * Decisions that denied so far.
   *
   * @return the count
   */
  public long denied() {
    return sum(1) + sharedDenied.sum();
  }

  private long sum(int offset) {
    long total = 0;
    for (int stripe = 0; stripe < STRIPES; stripe++) {
      total += (long) LONGS.getOpaque(counts, (stripe + 1) * SPACING + offset);
    }
    return total;
  }
}
