package io.distkit.core.session;

import io.distkit.core.BackendListener;
import io.distkit.core.Clock;
import java.util.Objects;

/**
 * The settings every session piece's builder takes: where its background work runs, the clock it reads, and
 * who hears its backend events. A primitive built on several pieces passes the same three to each.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SessionBuilder<B extends SessionBuilder<B>> {

  private Scheduler scheduler = Scheduler.shared();
  private Clock clock = Clock.system();
  private BackendListener listener = BackendListener.noop();

  /** For subclasses. */
  protected SessionBuilder() {}

  /**
   * Where background work (checks, renewals, probes, reconnects) runs.
   *
   * @param scheduler default {@link Scheduler#shared()}; a {@code ManualScheduler} in tests
   * @return this builder
   */
  public final B scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return self();
  }

  /**
   * The clock of every deadline, interval and duration this piece measures.
   *
   * @param clock default {@link Clock#system()}
   * @return this builder
   */
  public final B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Hears this piece's backend events (which ones, its class says).
   *
   * @param listener default {@link BackendListener#noop()}
   * @return this builder
   */
  public final B listener(BackendListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * The scheduler set so far (what the piece being built will use).
   *
   * @return the scheduler
   */
  public final Scheduler configuredScheduler() {
    return scheduler;
  }

  /**
   * The clock set so far.
   *
   * @return the clock
   */
  public final Clock configuredClock() {
    return clock;
  }

  /**
   * The listener set so far.
   *
   * @return the listener
   */
  public final BackendListener configuredListener() {
    return listener;
  }

  /**
   * This builder, typed as the subclass.
   *
   * @return {@code this}
   */
  protected abstract B self();
}
