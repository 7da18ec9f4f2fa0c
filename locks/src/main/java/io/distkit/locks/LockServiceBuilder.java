package io.distkit.locks;

import io.distkit.core.Clock;
import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings every {@link LockService} takes, local or not.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #defaultLease}</td><td>{@link #DEFAULT_LEASE}</td><td>the lease of
 *       {@link LockService#tryAcquire(String)}</td></tr>
 *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>leases, waits' measurement and tokens' time</td></tr>
 *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>where expiries, wait timeouts and
 *       {@code whenLost} listeners run</td></tr>
 *   <tr><td>{@link #listener}</td><td>{@link LockListener#NONE}</td><td>hears grants, releases, losses</td></tr>
 * </table>
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class LockServiceBuilder<B extends LockServiceBuilder<B>> {

  /** The default lease: fixed, 30 seconds. */
  public static final LockLease DEFAULT_LEASE = LockLease.fixed(Duration.ofSeconds(30));

  private LockLease defaultLease = DEFAULT_LEASE;
  private Clock clock = Clock.system();
  private Scheduler scheduler = Scheduler.shared();
  private LockListener listener = LockListener.NONE;

  /** For subclasses. */
  protected LockServiceBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * The lease of {@link LockService#tryAcquire(String)}.
   *
   * @param lease default {@link #DEFAULT_LEASE}
   * @return this builder
   */
  public final B defaultLease(LockLease lease) {
    this.defaultLease = Objects.requireNonNull(lease, "lease");
    return self();
  }

  /**
   * The clock of leases and waits ({@code nanoTime}) and of fencing tokens ({@code epochMillis}).
   *
   * @param clock default {@link Clock#system()}; a {@code ManualClock} in tests
   * @return this builder
   */
  public final B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Where expiries, wait timeouts and {@code whenLost} listeners run.
   *
   * @param scheduler default {@link Scheduler#shared()}; a {@code ManualScheduler} on the same clock in tests
   * @return this builder
   */
  public final B scheduler(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return self();
  }

  /**
   * Hears grants, give-ups, releases and losses.
   *
   * @param listener default {@link LockListener#NONE}
   * @return this builder
   */
  public final B listener(LockListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * For implementations: the default lease.
   *
   * @return the lease set, or {@link #DEFAULT_LEASE}
   */
  protected final LockLease configuredDefaultLease() {
    return defaultLease;
  }

  /**
   * For implementations: the clock.
   *
   * @return the clock set, or the system clock
   */
  protected final Clock configuredClock() {
    return clock;
  }

  /**
   * For implementations: the scheduler.
   *
   * @return the scheduler set, or the shared one
   */
  protected final Scheduler configuredScheduler() {
    return scheduler;
  }

  /**
   * For implementations: the listener.
   *
   * @return the listener set, or {@link LockListener#NONE}
   */
  protected final LockListener configuredListener() {
    return listener;
  }

  /**
   * Builds the service.
   *
   * @return a service with these settings
   */
  public abstract LockService build();
}
