package io.distkit.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A few counters, exact, and cheap enough for an operation that itself costs a few nanoseconds (a rate limiter's
 * decision, a cache hit, a pool borrow): up to {@value #STRIPES} threads each get a stripe of their own (claimed on
 * first use), which only they write, with a plain increment, no atomic instruction and no cache line shared with
 * another thread. A thread whose stripe is taken by another counts in a {@link LongAdder} instead, so counts stay
 * exact whatever the number of threads; a stripe stays with its first thread (a dead thread's counts stay
 * counted).
 *
 * <p>Not API.
 */
public final class PerThreadCounts {

  /** Threads that count without an atomic instruction; a power of two. */
  static final int STRIPES = 64;

  /** Longs between two stripes: 128 bytes, so that no two threads write one cache line (or its neighbour). */
  private static final int SPACING = 16;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final int counters;
  private final long[] counts = new long[(STRIPES + 1) * SPACING]; // stripe i, counter c: [(i + 1) * SPACING + c]
  private final AtomicReferenceArray<Thread> owners = new AtomicReferenceArray<>(STRIPES);
  private final LongAdder[] shared;

  /**
   * Counters numbered from 0.
   *
   * @param counters how many: 1 to 16
   */
  public PerThreadCounts(int counters) {
    if (counters < 1 || counters > SPACING) {
      throw new IllegalArgumentException("counters (" + counters + ") must be 1 to " + SPACING);
    }
    this.counters = counters;
    this.shared = new LongAdder[counters];
    for (int i = 0; i < counters; i++) {
      shared[i] = new LongAdder();
    }
  }

  /**
   * Adds one to a counter.
   *
   * @param counter which one: 0 to {@code counters - 1}
   */
  public void increment(int counter) {
    add(counter, 1);
  }

  /**
   * Adds to a counter.
   *
   * @param counter which one: 0 to {@code counters - 1}
   * @param amount how much
   */
  public void add(int counter, long amount) {
    Thread me = Thread.currentThread();
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    int stripe = (int) me.getId() & (STRIPES - 1);
    Thread owner = owners.getPlain(stripe); // a stale null only sends us to the compare-and-set
    if (owner == me || (owner == null && owners.compareAndSet(stripe, null, me))) {
      int slot = (stripe + 1) * SPACING + counter;
      LONGS.setOpaque(counts, slot, (long) LONGS.get(counts, slot) + amount); // only this thread writes the slot
    } else {
      shared[counter].add(amount);
    }
  }

  /**
   * A counter's total so far.
   *
   * @param counter which one: 0 to {@code counters - 1}
   * @return the total, exact as of some moment during the call
   */
  public long sum(int counter) {
    if (counter < 0 || counter >= counters) {
      throw new IndexOutOfBoundsException("counter " + counter + " of " + counters);
    }
    long total = shared[counter].sum();
    for (int stripe = 0; stripe < STRIPES; stripe++) {
      total += (long) LONGS.getOpaque(counts, (stripe + 1) * SPACING + counter);
    }
    return total;
  }
}
