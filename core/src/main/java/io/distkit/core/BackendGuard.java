package io.distkit.core;

import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers that a backend is down, so that calls fail fast instead of each waiting out a socket timeout.
 *
 * <p>While the backend is up, {@link #call(Supplier)} just runs the operation. When an operation throws
 * {@link BackendUnavailableException}, the guard records an outage. During an outage, calls throw a
 * {@linkplain BackendUnavailableException#isFailFast() fail-fast} {@code BackendUnavailableException} at once,
 * without running the operation, except for one probe: once {@linkplain Builder#retryInterval(Duration) the
 * retry interval} has passed since the last failure, exactly one caller at a time runs its operation for real.
 * If the probe gets any answer from the backend (a result, or an exception other than
 * {@code BackendUnavailableException}) the outage is over; if it fails, the outage is extended by another
 * interval.
 *
 * <p>One guard per backend: primitives that share a Redis client can share a guard, so an outage seen by one
 * is known to all.
 *
 * <p>Thread-safe and lock-free. Time is read from the injected {@link Clock}.
 */
public final class BackendGuard {

  /** The default {@linkplain Builder#retryInterval(Duration) retry interval}: 500 ms. */
  public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(BackendGuard.class);

  /** Whether the guard lets calls through. */
  public enum State {
    /** Calls run their operation. */
    UP,
    /** An outage is remembered: calls fail fast, except one probe per retry interval. */
    DOWN
  }

  /**
   * Hears about outages. Both methods default to no-ops; an exception thrown from one is logged at WARN and
   * does not affect the call that triggered it.
   */
  public interface Listener {

    /**
     * The backend just went from up to down.
     *
     * @param backend the guard's name
     * @param cause the failure that started the outage
     */
    default void onOutage(String backend, Throwable cause) {}

    /**
     * A probe got an answer: the backend is back.
     *
     * @param backend the guard's name
     * @param outage how long the outage lasted, by the guard's clock
     */
    default void onRecovery(String backend, Duration outage) {}
  }

  /**
   * A snapshot of the guard's counters since it was created.
   *
   * @param state the state when the snapshot was taken
   * @param failures operations that threw {@link BackendUnavailableException} (probes included)
   * @param fastFailures calls refused without contacting the backend
   * @param probes operations run during an outage to check whether the backend is back
   * @param outages transitions from up to down
   */
  public record Stats(State state, long failures, long fastFailures, long probes, long outages) {}

  /** A remembered outage; replaced as a whole, never mutated. */
  private record Outage(long sinceNanos, long nextProbeNanos, BackendUnavailableException cause, String message) {}

  private final String name;
  private final long retryIntervalNanos;
  private final Clock clock;
  private final Listener listener;

  private final AtomicReference<@Nullable Outage> outage = new AtomicReference<>();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final LongAdder failures = new LongAdder();
  private final LongAdder fastFailures = new LongAdder();
  private final LongAdder probes = new LongAdder();
  private final LongAdder outages = new LongAdder();

  private BackendGuard(Builder builder) {
    this.name = builder.name;
    this.retryIntervalNanos = builder.retryIntervalNanos;
    this.clock = builder.clock;
    this.listener = builder.listener;
  }

  /**
   * A guard named {@code "redis"} with the default retry interval and the system clock.
   *
   * @return a new guard
   */
  public static BackendGuard create() {
    return builder().build();
  }

  /**
   * Starts configuring a guard.
   *
   * @return a builder with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code operation} unless an outage is remembered.
   *
   * @param operation a call to the backend; it signals an outage by throwing
   *     {@link BackendUnavailableException}
   * @param <T> the operation's result type
   * @return what the operation returned
   * @throws BackendUnavailableException when the operation throws it, or at once (fail fast) during an outage
   *     when this call is not the probe
   */
  public <T> T call(Supplier<T> operation) {
    Outage current = outage.get();
    if (current != null) {
      return callDuringOutage(current, operation);
    }
    try {
      return operation.get();
    } catch (BackendUnavailableException e) {
      recordFailure(e);
      throw e;
    }
  }

  private <T> T callDuringOutage(Outage current, Supplier<T> operation) {
    if (clock.nanoTime() - current.nextProbeNanos() < 0 || !probing.compareAndSet(false, true)) {
      fastFailures.increment();
      throw BackendUnavailableException.failFast(current.message(), current.cause());
    }
    probes.increment();
    try {
      T result = operation.get();
      recordRecovery();
      return result;
    } catch (BackendUnavailableException e) {
      recordFailure(e);
      throw e;
    } catch (RuntimeException e) {
      // the backend answered (with an error of its own): it is reachable again
      recordRecovery();
      throw e;
    } finally {
      probing.set(false);
    }
  }

  private void recordFailure(BackendUnavailableException cause) {
    failures.increment();
    long now = clock.nanoTime();
    String message = name + " is unavailable (" + cause.getMessage() + "); failing fast, probing again every "
        + Duration.ofNanos(retryIntervalNanos).toMillis() + " ms";
    Outage previous;
    Outage next;
    do {
      previous = outage.get();
      long since = previous == null ? now : previous.sinceNanos();
      next = new Outage(since, now + retryIntervalNanos, cause, message);
    } while (!outage.compareAndSet(previous, next));
    if (previous == null) {
      outages.increment();
      log.warn("{} is unavailable, failing fast and probing every {} ms: {}", name,
          Duration.ofNanos(retryIntervalNanos).toMillis(), cause.getMessage());
      Listeners.notify(listener, "onOutage", l -> l.onOutage(name, cause));
    }
  }

  private void recordRecovery() {
    Outage previous = outage.getAndSet(null);
    if (previous != null) {
      Duration lasted = Duration.ofNanos(Math.max(0, clock.nanoTime() - previous.sinceNanos()));
      log.info("{} is available again after {} ms", name, lasted.toMillis());
      Listeners.notify(listener, "onRecovery", l -> l.onRecovery(name, lasted));
    }
  }

  /**
   * Whether an outage is remembered right now.
   *
   * @return {@link State#DOWN} between a failure and the next successful probe
   */
  public State state() {
    return outage.get() == null ? State.UP : State.DOWN;
  }

  /**
   * The guard's counters.
   *
   * @return a consistent-enough snapshot (each counter is read once, not all atomically together)
   */
  public Stats stats() {
    return new Stats(state(), failures.sum(), fastFailures.sum(), probes.sum(), outages.sum());
  }

  /**
   * The name used in messages and logs.
   *
   * @return the guard's name
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "BackendGuard[" + name + ", " + state() + "]";
  }

  /** Configures a {@link BackendGuard}. Not thread-safe; build once and share the guard. */
  public static final class Builder {
    private String name = "redis";
    private long retryIntervalNanos = DEFAULT_RETRY_INTERVAL.toNanos();
    private Clock clock = Clock.system();
    private Listener listener = new Listener() {};

    private Builder() {}

    /**
     * The name used in exception messages and logs. Never put credentials here.
     *
     * @param name a short description of the backend; default {@code "redis"}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Require.nonBlank(name, "name");
      return this;
    }

    /**
     * How long calls fail fast after a failure before one probe checks whether the backend is back.
     *
     * @param retryInterval a positive duration; default {@link #DEFAULT_RETRY_INTERVAL} (500 ms)
     * @return this builder
     */
    public Builder retryInterval(Duration retryInterval) {
      this.retryIntervalNanos = Require.positiveNanos(retryInterval, "retryInterval");
      return this;
    }

    /**
     * The clock that times the retry interval.
     *
     * @param clock default {@link Clock#system()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Hears about outages and recoveries.
     *
     * @param listener default: a listener that does nothing
     * @return this builder
     */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Creates the guard.
     *
     * @return a new guard, in state {@link State#UP}
     */
    public BackendGuard build() {
      return new BackendGuard(this);
    }
  }
}
