package io.distkit.core.session;

import io.distkit.core.BackendListener;
import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one endpoint among several (a shard, a pooled server, a load-balanced backend): ejected after
 * a run of failures, probed in the background with backoff, brought back by the first probe (or real call)
 * that succeeds.
 *
 * <pre>{@code
 * HealthTracker health = HealthTracker.builder("shard-a", () -> shardA.execute(UnifiedJedis::ping))
 *     .ejectAfter(3)
 *     .build();
 * if (health.isHealthy()) { try { call(); health.recordSuccess(); } catch (...) { health.recordFailure(e); } }
 * }</pre>
 *
 * <p>Unlike a {@link io.distkit.core.BackendGuard}, which protects callers of one backend from waiting out its
 * timeouts, a tracker decides whether an endpoint stays in rotation, so that callers pick another one. An
 * endpoint's guard and its tracker work together: the guard makes the failing calls cheap, the tracker moves
 * traffic away.
 *
 * <p>Events go to a {@link BackendListener}: {@code onOutage} on ejection, {@code onRecovery} on return, with
 * the tracker's name as the backend.
 *
 * <p>Cost: two atomic operations per recorded call; while ejected, one probe at a time on the
 * {@link Scheduler}, spaced by the {@link Backoff} (default 500 ms doubling to 30 s); no thread or connection
 * of its own. Thread-safe.
 */
public final class HealthTracker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthTracker.class);

  /** The default probe backoff: 500 ms, doubling to 30 s, with equal jitter. */
  public static final Backoff DEFAULT_PROBE_BACKOFF = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Whether the endpoint is in rotation. */
  public enum State {
    /** In rotation. */
    HEALTHY,
    /** Out of rotation until a probe or a call succeeds. */
    EJECTED
  }

  /** Checks an ejected endpoint; returning normally means it is back. */
  @FunctionalInterface
  public interface Probe {

    /**
     * Checks the endpoint, e.g. with a {@code PING}.
     *
     * @throws Exception when it is still not usable
     */
    void check() throws Exception;
  }

  /**
   * Counters since the tracker was built; each only grows.
   *
   * @param state the state when read
   * @param failures failures recorded
   * @param ejections transitions to {@link State#EJECTED}
   * @param returns transitions back to {@link State#HEALTHY}
   * @param probes probes run
   */
  public record Stats(State state, long failures, long ejections, long returns, long probes) {}

  /** An ejection in progress. */
  private static final class Ejection {
    final long sinceNanos;
    final AtomicInteger attempts = new AtomicInteger();
    volatile Scheduler.@Nullable Task probe;

    Ejection(long sinceNanos) {
      this.sinceNanos = sinceNanos;
    }
  }

  private final String name;
  private final Probe probe;
  private final int ejectAfter;
  private final Backoff backoff;
  private final Scheduler scheduler;
  private final Clock clock;
  private final BackendListener listener;
  private final AtomicInteger failuresInARow = new AtomicInteger();
  private final AtomicReference<@Nullable Ejection> ejection = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder failures = new LongAdder();
  private final LongAdder ejections = new LongAdder();
  private final LongAdder returns = new LongAdder();
  private final LongAdder probes = new LongAdder();

  private HealthTracker(Builder builder) {
    this.name = builder.name;
    this.probe = builder.probe;
    this.ejectAfter = builder.ejectAfter;
    this.backoff = builder.backoff;
    this.scheduler = builder.configuredScheduler();
    this.clock = builder.configuredClock();
    this.listener = builder.configuredListener();
  }

  /**
   * Starts configuring a tracker.
   *
   * @param name the endpoint's name, for logs and events; no credentials
   * @param probe checks the endpoint while it is ejected
   * @return a builder
   */
  public static Builder builder(String name, Probe probe) {
    return new Builder(Require.nonBlank(name, "name"), Objects.requireNonNull(probe, "probe"));
  }

  /** A call to the endpoint succeeded: the run of failures ends, and an ejected endpoint is back. */
  public void recordSuccess() {
    failuresInARow.set(0);
    Ejection current = ejection.get();
    if (current != null) {
      bringBack(current);
    }
  }

  /**
   * A call that may have started before an ejection succeeded: the run of failures ends, but an ejected endpoint
   * stays out until a probe passes. For callers such as a load balancer, whose calls in flight at an ejection must
   * not undo it (Envoy's outlier ejection behaves the same way).
   */
  public void recordSuccessKeepingEjection() {
    if (failuresInARow.get() != 0) { // a plain read in the common case: no write to a line every caller shares
      failuresInARow.set(0);
    }
  }

  /**
   * A call to the endpoint failed in a way that says it is unhealthy (unavailable, timed out; not a bad
   * request). The {@code ejectAfter}-th failure in a row ejects it.
   *
   * @param cause the failure
   */
  public void recordFailure(Throwable cause) {
    failures.increment();
    if (failuresInARow.incrementAndGet() < ejectAfter || ejection.get() != null) {
      return;
    }
    Ejection next = new Ejection(clock.nanoTime());
    if (ejection.compareAndSet(null, next)) {
      ejections.increment();
      log.warn("{} ejected after {} failures in a row: {}", name, ejectAfter, cause.toString());
      Listeners.notify(listener, "onOutage", l -> l.onOutage(name, cause));
      scheduleProbe(next);
    }
  }

  private void scheduleProbe(Ejection current) {
    if (closed.get() || ejection.get() != current) {
      return;
    }
    long delay = backoff.delayNanos(current.attempts.incrementAndGet());
    current.probe = scheduler.schedule(() -> runProbe(current), delay, TimeUnit.NANOSECONDS);
  }

  private void runProbe(Ejection current) {
    if (closed.get() || ejection.get() != current) {
      return;
    }
    probes.increment();
    try {
      probe.check();
    } catch (Exception e) {
      log.debug("{} still unhealthy (probe {}): {}", name, current.attempts.get(), e.toString());
      scheduleProbe(current);
      return;
    }
    failuresInARow.set(0);
    bringBack(current);
  }

  private void bringBack(Ejection current) {
    if (!ejection.compareAndSet(current, null)) {
      return;
    }
    Scheduler.Task pending = current.probe;
    if (pending != null) {
      pending.cancel();
    }
    returns.increment();
    Duration out = Duration.ofNanos(Math.max(0, clock.nanoTime() - current.sinceNanos));
    log.info("{} is back after {} ms", name, out.toMillis());
    Listeners.notify(listener, "onRecovery", l -> l.onRecovery(name, out));
  }

  /**
   * Whether the endpoint is in rotation.
   *
   * @return false between an ejection and the success that ends it
   */
  public boolean isHealthy() {
    return ejection.get() == null;
  }

  /**
   * The current state.
   *
   * @return {@link State#EJECTED} between an ejection and the success that ends it
   */
  public State state() {
    return isHealthy() ? State.HEALTHY : State.EJECTED;
  }

  /**
   * The tracker's counters.
   *
   * @return a snapshot
   */
  public Stats stats() {
    return new Stats(state(), failures.sum(), ejections.sum(), returns.sum(), probes.sum());
  }

  /**
   * The endpoint's name.
   *
   * @return the name given at construction
   */
  public String name() {
    return name;
  }

  /** Stops probing. The state stays as it is. */
  @Override
  public void close() {
    closed.set(true);
    Ejection current = ejection.get();
    if (current != null && current.probe != null) {
      current.probe.cancel();
    }
  }

  @Override
  public String toString() {
    return "HealthTracker[" + name + ", " + state() + "]";
  }

  /**
   * Configures a {@link HealthTracker}: probes run on the scheduler, the clock times ejections, the listener
   * hears ejections ({@code onOutage}) and returns ({@code onRecovery}). Not thread-safe.
   */
  public static final class Builder extends SessionBuilder<Builder> {
    private final String name;
    private final Probe probe;
    private int ejectAfter = 3;
    private Backoff backoff = DEFAULT_PROBE_BACKOFF;

    private Builder(String name, Probe probe) {
      this.name = name;
      this.probe = probe;
    }

    /**
     * How many failures in a row eject the endpoint.
     *
     * @param ejectAfter at least 1; default 3
     * @return this builder
     */
    public Builder ejectAfter(int ejectAfter) {
      this.ejectAfter = (int) Require.positive(ejectAfter, "ejectAfter");
      return this;
    }

    /**
     * The delays between probes of an ejected endpoint: probe {@code n} runs
     * {@code backoff.delayNanos(n)} after the ejection or the previous probe.
     *
     * @param backoff default {@link #DEFAULT_PROBE_BACKOFF}
     * @return this builder
     */
    public Builder probeBackoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }




    /**
     * Creates the tracker, healthy.
     *
     * @return the tracker
     */
    public HealthTracker build() {
      return new HealthTracker(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
