package io.distkit.pool.object.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One pooled object and its state. The state and the number of the current loan share one word, changed only by
 * compare-and-set, so that a lease of an earlier loan can never end a later one:
 * {@code word = loan << 2 | state}.
 *
 * <p>States: {@link #IDLE} (ready to lend), {@link #BORROWED} (lent, loan number = the lease's), {@link #RESERVED}
 * (being checked or destroyed by the pool), {@link #DEAD} (gone).
 */
final class Slot<T> {

  static final int IDLE = 0;
  static final int BORROWED = 1;
  static final int RESERVED = 2;
  static final int DEAD = 3;

  private static final VarHandle WORD;
  private static final VarHandle BORROWED_LOAN;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(Slot.class, "word", long.class);
      BORROWED_LOAN = MethodHandles.lookup().findVarHandle(Slot.class, "borrowedLoan", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final T object;
  final long createdNanos;
  /** When it reaches its maximum lifetime (jittered); {@link Long#MAX_VALUE} relative to created when none. */
  final long lifetimeNanos;

  @SuppressWarnings("unused") // through WORD
  private volatile long word;

  /** When it was last known to work: created, lent, or validated. Written by whoever holds the slot. */
  long verifiedNanos;
  /** The loan number housekeeping last saw this slot idle at (housekeeping's alone). */
  long idleSeenLoan;
  /** When housekeeping first saw it idle at {@link #idleSeenLoan} (housekeeping's alone). */
  long idleSeenNanos;
  /** When the current loan started. Written by the borrower, before {@link #borrowedLoan}. */
  long borrowedNanos;
  /** The loan {@link #borrowedNanos} and {@link #borrower} belong to (through BORROWED_LOAN, release/acquire). */
  @SuppressWarnings("unused")
  private long borrowedLoan;
  /** Who holds it now, for diagnostics (racy reads). */
  @Nullable Thread borrower;
  /** Where the current loan was acquired, when leak detection is on. */
  @Nullable Throwable acquiredAt;
  /** The loan already reported as a probable leak (0: none). */
  long leakReportedLoan;

  Slot(T object, long createdNanos, long lifetimeNanos) {
    this.object = object;
    this.createdNanos = createdNanos;
    this.lifetimeNanos = lifetimeNanos;
    this.verifiedNanos = createdNanos;
    this.idleSeenNanos = createdNanos; // idle at loan 0 since it was made
    this.word = word(0, RESERVED); // the creator hands it over or idles it
  }

  static long word(long loan, int state) {
    return loan << 2 | state;
  }

  static int state(long word) {
    return (int) (word & 3);
  }

  static long loan(long word) {
    return word >>> 2;
  }

  long word() {
    return word;
  }

  boolean cas(long expected, long next) {
    return WORD.compareAndSet(this, expected, next);
  }

  /** Publishes {@link #borrowedNanos} and {@link #borrower} as those of {@code loan}. */
  void recorded(long loan) {
    BORROWED_LOAN.setRelease(this, loan);
  }

  /** Whether {@link #borrowedNanos} and {@link #borrower} are those of {@code loan} (readers on other threads). */
  boolean recordedFor(long loan) {
    return (long) BORROWED_LOAN.getAcquire(this) == loan;
  }

  /** Whether it has reached its maximum lifetime at {@code now}. */
  boolean expired(long now) {
    return now - createdNanos - lifetimeNanos >= 0;
  }
}
