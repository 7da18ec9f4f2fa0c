package io.distkit.ratelimit.local;

import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.internal.CompiledLimit;

/**
 * One key's state under one algorithm, and the outcome of its last decision. Every field is guarded by the
 * object's monitor (no I/O ever happens under it), except {@link #limit}, which the map's expiry reads.
 *
 * <p>{@link #decide} mutates the state only when it grants the permits: a denial leaves it as it was, so
 * asking again at the same time gives the same answer.
 */
abstract class KeyState {

  static final int ALLOWED = 0;
  static final int RATE_LIMITED = 1;
  static final int EXCEEDS_CAPACITY = 2;

  /** The limit of the last decision; decides how long the map keeps this key. */
  volatile CompiledLimit limit;

  /** Set when the map dropped this state; a caller holding it must look the key up again. */
  boolean retired;

  int reason;
  long remaining;
  long retryAfter;
  long resetAfter;

  KeyState(CompiledLimit limit) {
    this.limit = limit;
  }

  /**
   * Decides a request and, if granted, consumes it. Fills {@link #reason}, {@link #remaining},
   * {@link #retryAfter} and {@link #resetAfter}.
   *
   * @param limit the key's limit for this request, of this state's algorithm
   * @param now µs, on the limiter's monotonic timeline
   * @param permits at least 1
   */
  abstract void decide(CompiledLimit limit, long now, long permits);

  boolean allowed() {
    return reason == ALLOWED;
  }

  RateLimitDecision toDecision() {
    RateLimitDecision.Reason why = switch (reason) {
      case ALLOWED -> RateLimitDecision.Reason.ALLOWED;
      case RATE_LIMITED -> RateLimitDecision.Reason.RATE_LIMITED;
      default -> RateLimitDecision.Reason.EXCEEDS_CAPACITY;
    };
    return new RateLimitDecision(reason == ALLOWED, why, remaining, retryAfter, resetAfter,
        RateLimitDecision.Source.LIMITER);
  }

  /** Whether some bandwidth can never hold {@code permits}. */
  static boolean exceedsCapacity(CompiledLimit limit, long permits) {
    for (int i = 0; i < limit.count(); i++) {
      if (permits > limit.burst(i)) {
        return true;
      }
    }
    return false;
  }

  static long[] grow(long[] array, int length) {
    return array.length >= length ? array : java.util.Arrays.copyOf(array, length);
  }
}
