package io.distkit.ratelimit.internal;

import io.distkit.core.Clock;

/**
 * A limiter's timeline in microseconds: the clock's monotonic time, anchored once to its wall time. It never
 * goes back when the wall clock does, yet its windows line up with the epoch like the Redis server's. It is the
 * timeline of core's {@link io.distkit.core.redis.RedisTime} under {@code TimeSource.CLIENT} (the one meaning of
 * client time), which the Redis limiter passes to its scripts; this copy spares the local limiter's hot path a
 * {@code floorDiv} while time moves forward.
 *
 * <p>Not API.
 */
public final class MonotonicMicros {

  private final Clock clock;
  private final long anchorNanos;
  private final long anchorMicros;

  /**
   * Anchors the timeline to the clock's current readings.
   *
   * @param clock the clock
   */
  public MonotonicMicros(Clock clock) {
    this.clock = clock;
    this.anchorNanos = clock.nanoTime();
    this.anchorMicros = Math.multiplyExact(clock.epochMillis(), 1000L);
  }

  /**
   * Now.
   *
   * @return µs since the epoch, as of the anchor plus monotonic time elapsed since
   */
  public long now() {
    long elapsed = clock.nanoTime() - anchorNanos;
    // non-negative unless the clock went back: then plain division by a constant, a multiply for the JIT
    return anchorMicros + (elapsed >= 0 ? elapsed / 1000L : Math.floorDiv(elapsed, 1000L));
  }
}
