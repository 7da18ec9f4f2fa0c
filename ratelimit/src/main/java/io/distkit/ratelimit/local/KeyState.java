package io.distkit.ratelimit.local;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.internal.CompiledLimit;
import org.jspecify.annotations.Nullable;

/**
 * One key's state under one algorithm, as the local limiter's map holds it. Two kinds: {@link GcraWordState}, a
 * single word updated by compare-and-set, for a single-bandwidth token bucket or GCRA (the hot-key case); and
 * {@link LockedState}, guarded by its own monitor, for everything else.
 *
 * <p>A state can be <em>retired</em>: dropped from the map (forgotten once fresh, evicted, reset) or replaced
 * (its key switched algorithm or limit in a way it cannot follow). A caller holding a retired state gets
 * {@link #STALE} and looks the key up again.
 */
abstract class KeyState {

  /** Granted (and consumed). */
  static final int ALLOWED = 0;

  /** Denied for now. */
  static final int RATE_LIMITED = 1;

  /** Denied forever: more than the limit's capacity. */
  static final int EXCEEDS_CAPACITY = 2;

  /** Not decided: the state is retired or cannot serve this limit; look the key up again. */
  static final int STALE = -1;

  /** The algorithm this state belongs to; a key that switches algorithm gets a new state. */
  final Algorithm algorithm;

  /**
   * The key this state is the map's value for, so that the sweep can walk values (no entry object per step)
   * and still remove exactly this mapping. Set before the map publishes the state.
   */
  String key = "";

  KeyState(Algorithm algorithm) {
    this.algorithm = algorithm;
  }

  /**
   * Decides a request and consumes on a grant.
   *
   * @param limit the key's limit for this request, one this state {@linkplain #serves serves}
   * @param now µs, on the limiter's monotonic timeline
   * @param permits at least 1
   * @return {@link #ALLOWED}, {@link #RATE_LIMITED}, {@link #EXCEEDS_CAPACITY}, or {@link #STALE}
   */
  abstract int consume(CompiledLimit limit, long now, long permits);

  /**
   * {@link #consume}, with the whole decision.
   *
   * @param limit the key's limit for this request
   * @param now µs
   * @param permits at least 1
   * @return the decision, or null when the state is stale
   */
  abstract @Nullable RateLimitDecision decide(CompiledLimit limit, long now, long permits);

  /**
   * Whether requests under {@code limit} at {@code now} can be decided by this state.
   *
   * @param limit the key's limit
   * @param now µs
   * @return false when retired, or when the key must get a new state for this limit
   */
  abstract boolean serves(CompiledLimit limit, long now);

  /**
   * Retires the state if it is surely fresh at {@code now} (forgetting it then changes no decision).
   *
   * @param now µs
   * @return true when retired by this call
   */
  abstract boolean forgetIfFresh(long now);

  /** Retires the state, whatever it holds. */
  abstract void retire();

  static RateLimitDecision decision(int reason, long remaining, long retryAfter, long resetAfter) {
    RateLimitDecision.Reason why = switch (reason) {
      case ALLOWED -> RateLimitDecision.Reason.ALLOWED;
      case RATE_LIMITED -> RateLimitDecision.Reason.RATE_LIMITED;
      default -> RateLimitDecision.Reason.EXCEEDS_CAPACITY;
    };
    return new RateLimitDecision(reason == ALLOWED, why, remaining, reason == RATE_LIMITED ? retryAfter : 0,
        resetAfter, RateLimitDecision.Source.LIMITER);
  }
}
