package io.distkit.ratelimit;

/**
 * The rate-limiting algorithms. Each runs on both backends with the same integer arithmetic, so a local and
 * a Redis limiter given the same limit and the same clock make the same decisions.
 *
 * <p>For a {@link Bandwidth} of {@code limit} permits per {@code period}, with burst {@code burst}, and
 * {@code rate = limit / period}:
 */
public enum Algorithm {

  /**
   * A bucket of {@code burst} permits refilled continuously at {@code rate}. Guarantee: at most
   * {@code burst + rate × t} permits in any interval of length {@code t}. State: two integers per bandwidth.
   */
  TOKEN_BUCKET("token_bucket"),

  /**
   * The generic cell rate algorithm (a leaky bucket used as a meter): one "theoretical arrival time" per
   * bandwidth. Makes exactly the token bucket's decisions, from one timestamp of state. Guarantee: at most
   * {@code burst + rate × t} permits in any interval of length {@code t}.
   */
  GCRA("gcra"),

  /**
   * A counter per window aligned to the epoch ({@code [k × period, (k + 1) × period)}). Guarantee: at most
   * {@code limit} permits in each aligned window, hence at most {@code 2 × limit} in any interval of length
   * {@code period} (a burst at the end of one window and the start of the next).
   */
  FIXED_WINDOW("fixed_window"),

  /**
   * A log of every admitted permit's time. Exact. Guarantee: at most {@code limit} permits in any interval of
   * length {@code period}. State: one entry per permit admitted in the last {@code period}, so memory is
   * O(limit) per key.
   */
  SLIDING_LOG("sliding_log"),

  /**
   * The sliding window counter approximation: this window's count plus the previous window's count weighted
   * by how much of it still overlaps the sliding window. Guarantee: at most {@code limit} permits in each
   * aligned window and fewer than {@code 2 × limit} in any interval of length {@code period}; close to
   * {@code limit} when traffic is spread evenly. State: three integers per bandwidth.
   */
  SLIDING_WINDOW_COUNTER("sliding_window_counter");

  private final String id;

  Algorithm(String id) {
    this.id = id;
  }

  /**
   * A short, stable identifier, used in Redis key names and script names.
   *
   * @return e.g. {@code "token_bucket"}
   */
  public String id() {
    return id;
  }

  /**
   * Whether the algorithm refills continuously and so accepts a {@link Bandwidth#burst()} different from its
   * limit.
   *
   * @return true for {@link #TOKEN_BUCKET} and {@link #GCRA}
   */
  public boolean supportsBurst() {
    return this == TOKEN_BUCKET || this == GCRA;
  }
}
