package io.distkit.core.session;

/**
 * A number that grows with every grant of a resource (a lock, a lease, a leader's term, a job attempt), so a
 * resource that accepts writes only with the highest token it has seen rejects a holder that lost its grant
 * and does not know it yet (a long GC pause, a partition).
 *
 * <p>Tokens of one resource only grow, across holders, client restarts and Redis failovers: the Redis side
 * ({@code io.distkit.core.redis.RedisFencing} and the {@code FENCING} Lua prelude) gives
 * {@code max(last + 1, now in microseconds)}, so a token lost with a failed master is still beaten by the
 * clock; the local side uses the same rule ({@link #next(FencingToken, long)}). Tokens of different resources
 * are not comparable in any useful way.
 *
 * @param value the token, positive, below 2^53 (exact in Lua)
 */
public record FencingToken(long value) implements Comparable<FencingToken> {

  /** The largest token value: integers above it are not exact as Lua numbers. */
  public static final long MAX_VALUE = (1L << 53) - 1;

  /**
   * Checks the value.
   *
   * @param value positive and at most {@link #MAX_VALUE}
   */
  public FencingToken {
    if (value <= 0 || value > MAX_VALUE) {
      throw new IllegalArgumentException("value (" + value + ") must be in [1, 2^53 - 1]");
    }
  }

  /**
   * The token after {@code last}, by the rule every distkit backend uses: {@code max(last + 1, nowMicros)}.
   *
   * @param last the previous token of the resource, or null for its first
   * @param nowMicros the clock in microseconds since the epoch
   * @return a token greater than {@code last}
   */
  public static FencingToken next(@org.jspecify.annotations.Nullable FencingToken last, long nowMicros) {
    long after = last == null ? 1 : last.value + 1;
    return new FencingToken(Math.max(after, nowMicros));
  }

  /**
   * Whether this token was granted after {@code other} (for the same resource).
   *
   * @param other another token of the same resource
   * @return true when this one is greater
   */
  public boolean isNewerThan(FencingToken other) {
    return value > other.value;
  }

  @Override
  public int compareTo(FencingToken other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return "FencingToken[" + value + "]";
  }
}
