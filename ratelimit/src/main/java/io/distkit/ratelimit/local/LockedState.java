package io.distkit.ratelimit.local;

import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.internal.CompiledLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A key's state guarded by its own monitor, for every limit {@link GcraWordState} does not serve. Every field is guarded by the object's monitor (no I/O ever happens
 * under it). Writes that change what {@link #wouldFit} reads are also bracketed by a version counter (a
 * seqlock), so that a caller can refuse a request that cannot fit from a lock-free read and no write at all:
 * a denial changes nothing, and under contention touching the lock's cache line is what costs.
 *
 * <p>{@link #decideLocked} answers yes or no and consumes on yes; it mutates the state only when it grants, so
 * asking again at the same time gives the same answer. {@link #explain} then works out the rest of the
 * decision (remaining, retry-after, reset-after) from what {@code decideLocked} left in scratch fields; callers
 * that only need yes or no skip it.
 */
abstract class LockedState extends KeyState {

  private static final VarHandle VERSION;

  static {
    try {
      VERSION = MethodHandles.lookup().findVarHandle(LockedState.class, "version", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Even when stable; odd while a grant (or retirement) is being written. Written only under the monitor. */
  private long version;

  /** The outcome of the last locked decision was a denial: the next caller tries the lock-free read first. */
  boolean lastDenied;

  /** The limit of the last decision. */
  CompiledLimit limit;

  /**
   * When the state is surely fresh again, in µs: the last decision's time plus its limit's bound
   * ({@link CompiledLimit#surelyFreshMicros()}). Read without the monitor only as a hint; checked again
   * under it before the key is forgotten.
   */
  long surelyFreshAt;

  /** Set when the map dropped this state; a caller holding it must look the key up again. */
  boolean retired;

  /** Starts a write that {@link #wouldFit} may observe; under the monitor. */
  final void beginWrite() {
    VERSION.setOpaque(this, version + 1);
    VarHandle.storeStoreFence();
  }

  /** Ends a write started by {@link #beginWrite}. */
  final void endWrite() {
    VERSION.setRelease(this, version + 1);
  }

  /**
   * Refuses a request from a lock-free, consistent read of the state, writing nothing.
   *
   * @return true when the request surely does not fit now (then it is denied, and nothing changes)
   */
  final boolean surelyRefused(CompiledLimit limit, long now, long permits) {
    long before = (long) VERSION.getAcquire(this);
    if ((before & 1) != 0 || retired || wouldFit(limit, now, permits)) {
      return false;
    }
    VarHandle.loadLoadFence();
    return before == (long) VERSION.getOpaque(this);
  }

  /** The outcome of the last {@link #decideLocked}. */
  int reason;

  long remaining;
  long retryAfter;
  long resetAfter;

  LockedState(CompiledLimit limit) {
    super(limit.algorithm());
    this.limit = limit;
  }

  @Override
  final int consume(CompiledLimit limit, long now, long permits) {
    if (limit.algorithm() != algorithm) {
      return STALE;
    }
    // a key that was just denied is likely denied again: refuse without the lock if the state says so
    if (lastDenied && surelyRefused(limit, now, permits)) {
      return RATE_LIMITED;
    }
    synchronized (this) {
      if (retired) {
        return STALE; // the map dropped it between lookup and lock: look again
      }
      decideLocked(limit, now, permits); // no decision object, no remaining/retry arithmetic
      return reason;
    }
  }

  @Override
  final @Nullable RateLimitDecision decide(CompiledLimit limit, long now, long permits) {
    if (limit.algorithm() != algorithm) {
      return null;
    }
    synchronized (this) {
      if (retired) {
        return null;
      }
      decideLocked(limit, now, permits);
      return toDecision(limit, permits);
    }
  }

  @Override
  final boolean serves(CompiledLimit limit, long now) {
    return limit.algorithm() == algorithm && !retired;
  }

  @Override
  final boolean forgetIfFresh(long now) {
    if (surelyFreshAt > now) { // a hint, read without the monitor; checked again under it
      return false;
    }
    synchronized (this) {
      if (retired || surelyFreshAt > now) {
        return false;
      }
      retireLocked();
      return true;
    }
  }

  @Override
  final void retire() {
    synchronized (this) {
      retireLocked();
    }
  }

  private void retireLocked() {
    beginWrite(); // a lock-free reader must not trust what it read across this
    retired = true;
    endWrite();
  }

  /**
   * Decides a request and, if granted, consumes it. Sets {@link #reason}.
   *
   * @param limit the key's limit for this request, of this state's algorithm
   * @param now µs, on the limiter's monotonic timeline
   * @param permits at least 1
   * @return whether the permits were granted
   */
  final boolean decideLocked(CompiledLimit limit, long now, long permits) {
    if (this.limit != limit) {
      this.limit = limit; // a reference write costs a GC barrier: only when the key's limit changed
    }
    surelyFreshAt = Math.max(surelyFreshAt, now + limit.surelyFreshMicros());
    if (permits > limit.capacity()) {
      reason = EXCEEDS_CAPACITY;
      observe(limit, now);
      return false;
    }
    boolean granted = admit(limit, now, permits);
    reason = granted ? ALLOWED : RATE_LIMITED;
    lastDenied = !granted;
    return granted;
  }

  /**
   * Whether {@code permits} could be granted at {@code now}, read-only: for a lock-free read, so it must
   * write nothing and must not fail on a torn view (the caller validates the version before trusting it).
   * Algorithms without a read-only check answer true, which sends the caller to the lock.
   *
   * @param limit the limit
   * @param now µs
   * @param permits at least 1
   * @return false only when the request surely does not fit
   */
  boolean wouldFit(CompiledLimit limit, long now, long permits) {
    return true;
  }

  /**
   * Brings the scratch view up to {@code now} without deciding anything (for a request that can never fit).
   *
   * @param limit the limit
   * @param now µs
   */
  abstract void observe(CompiledLimit limit, long now);

  /**
   * Brings the scratch view up to {@code now}, and grants (updating the state and the scratch view) when
   * every bandwidth has room for {@code permits}.
   *
   * @param limit the limit
   * @param now µs
   * @param permits at most the limit's capacity
   * @return whether granted
   */
  abstract boolean admit(CompiledLimit limit, long now, long permits);

  /**
   * Fills {@link #remaining}, {@link #retryAfter} and {@link #resetAfter} for the last decision, from the
   * scratch view it left.
   *
   * @param limit the limit of the last decision
   * @param permits the permits it asked for
   */
  abstract void explain(CompiledLimit limit, long permits);

  private RateLimitDecision toDecision(CompiledLimit limit, long permits) {
    explain(limit, permits);
    return decision(reason, remaining, retryAfter, resetAfter);
  }

  static long[] grow(long[] array, int length) {
    return array.length >= length ? array : java.util.Arrays.copyOf(array, length);
  }
}
