package io.distkit.core.testing;

import io.distkit.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test moves it. Thread-safe.
 *
 * <p>{@link #nanoTime()} starts at an arbitrary large value (code must only use differences) and
 * {@link #epochMillis()} at 2026-01-01T00:00:00Z; {@link #advance(Duration)} moves both together.
 * {@link #jumpWallClock(Duration)} moves only the wall clock, as NTP or an operator can.
 *
 * <p>Whatever must happen when time passes (a {@link ManualScheduler} running due tasks) registers with
 * {@link #onAdvance(Runnable)} and runs on the thread that advanced the clock, after the clock moved.
 */
public final class ManualClock implements Clock {

  /** Where {@link #epochMillis()} starts unless told otherwise. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private static final long NANO_ORIGIN = 1_000_000_000_000_000L;

  private final AtomicLong nanos = new AtomicLong(NANO_ORIGIN);
  private final AtomicLong wallOffsetMillis;
  /** Copied on write; an array so that advancing allocates nothing (allocation tests advance this clock). */
  private volatile Runnable[] onAdvance = new Runnable[0];

  /** A clock whose wall time starts at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /**
   * A clock whose wall time starts at {@code start}.
   *
   * @param start the initial wall time
   */
  public ManualClock(Instant start) {
    this.wallOffsetMillis = new AtomicLong(start.toEpochMilli());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long epochMillis() {
    return wallOffsetMillis.get() + Math.floorDiv(nanos.get() - NANO_ORIGIN, 1_000_000L);
  }

  /**
   * Moves both clocks forward.
   *
   * @param amount how far; must not be negative (monotonic time never goes back)
   * @return this clock
   */
  public ManualClock advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount (" + amount + ") must not be negative");
    }
    nanos.addAndGet(amount.toNanos());
    Runnable[] hooks = onAdvance;
    for (int i = 0; i < hooks.length; i++) {
      hooks[i].run();
    }
    return this;
  }

  /**
   * Runs {@code hook} after every {@link #advance(Duration)}, on the advancing thread (not after
   * {@link #jumpWallClock(Duration)}: monotonic time did not move).
   *
   * @param hook what to do when time has moved, e.g. run due tasks
   * @return this clock
   */
  public ManualClock onAdvance(Runnable hook) {
    Objects.requireNonNull(hook, "hook");
    synchronized (this) { // no I/O here; writers are rare
      Runnable[] more = Arrays.copyOf(onAdvance, onAdvance.length + 1);
      more[more.length - 1] = hook;
      onAdvance = more;
    }
    return this;
  }

  /**
   * Moves both clocks forward.
   *
   * @param millis how far, in milliseconds; not negative
   * @return this clock
   */
  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /**
   * Moves only the wall clock, forward or back, as a clock adjustment would. {@link #nanoTime()} does not
   * move.
   *
   * @param amount how far, negative to go back
   * @return this clock
   */
  public ManualClock jumpWallClock(Duration amount) {
    wallOffsetMillis.addAndGet(amount.toMillis());
    return this;
  }

  /**
   * The current wall time.
   *
   * @return {@link #epochMillis()} as an instant
   */
  public Instant instant() {
    return Instant.ofEpochMilli(epochMillis());
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + "]";
  }
}
