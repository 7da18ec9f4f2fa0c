package io.distkit.core.redis;

/**
 * Whose clock a Redis script uses for time-based state (refills, windows, leases).
 */
public enum TimeSource {

  /**
   * The Redis server's clock ({@code TIME} inside the script). The default: every JVM that shares the Redis
   * agrees on time, however skewed their own clocks are.
   */
  SERVER,

  /**
   * The primitive's injected {@link io.distkit.core.Clock}, passed to the script as an argument: its monotonic
   * time anchored once to its wall time, in microseconds (see {@link RedisTime}, the one meaning of client time
   * across modules). For tests that drive a Redis-backed primitive with a manual clock, and for callers who
   * keep their fleet's clocks in tight sync. Scripts still never let time go backwards for a key.
   */
  CLIENT
}
