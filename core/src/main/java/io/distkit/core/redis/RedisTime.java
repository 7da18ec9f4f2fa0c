package io.distkit.core.redis;

import io.distkit.core.Clock;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The time argument of a script that uses the {@link LuaPrelude#TIME} prelude: empty for
 * {@link TimeSource#SERVER} (the script reads {@code TIME}), or the client's time in microseconds for
 * {@link TimeSource#CLIENT}.
 *
 * <p>This is the one meaning of client time across distkit: the injected {@link Clock}'s monotonic time,
 * anchored once to its wall time when this object is created. It lines up with the epoch like the server's
 * clock, and it never goes back when the wall clock does; a {@code ManualClock} drives it exactly.
 *
 * <p>Immutable and thread-safe; {@link #argument()} allocates a few bytes under client time, nothing under
 * server time.
 */
public final class RedisTime {

  private static final byte[] SERVER = new byte[0];

  private final TimeSource source;
  private final Clock clock;
  private final long anchorNanos;
  private final long anchorMicros;

  private RedisTime(TimeSource source, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.anchorNanos = clock.nanoTime();
    this.anchorMicros = Math.multiplyExact(clock.epochMillis(), 1000L);
  }

  /**
   * Time for scripts from {@code source}, reading {@code clock} under {@link TimeSource#CLIENT}.
   *
   * @param source whose clock scripts use
   * @param clock the primitive's clock
   * @return the time source, anchored now
   */
  public static RedisTime of(TimeSource source, Clock clock) {
    return new RedisTime(source, clock);
  }

  /**
   * The argument to pass to {@code distkit_now_us}.
   *
   * @return an empty array under server time; the client's microseconds as decimal ASCII under client time
   */
  public byte[] argument() {
    if (source == TimeSource.SERVER) {
      return SERVER;
    }
    return Long.toString(clientMicros()).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The client's time in microseconds since the epoch, as scripts see it under {@link TimeSource#CLIENT}.
   *
   * @return the anchor's wall time plus the monotonic time elapsed since
   */
  public long clientMicros() {
    return anchorMicros + Math.floorDiv(clock.nanoTime() - anchorNanos, 1000L);
  }

  /**
   * Whose clock scripts use.
   *
   * @return the source
   */
  public TimeSource source() {
    return source;
  }

  @Override
  public String toString() {
    return "RedisTime[" + source + "]";
  }
}
