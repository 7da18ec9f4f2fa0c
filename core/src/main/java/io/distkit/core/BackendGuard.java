package io.distkit.core;

import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p><b>Slow is down, if you say so.</b> A backend that answers, but slower than the callers can afford, is
 * not an outage to the client (its timeout did not fire). With {@link Builder#slowCallThreshold(Duration, int)}
 * the guard treats that many calls in a row at or above the threshold as an outage: the slow call's result is
 * still returned, and the calls after it fail fast until a probe answers within the threshold.
 *
 * <p>Cost: nothing but a volatile read per call while up (two clock reads more with a slow-call threshold);
 * no thread, no connection of its own. Thread-safe and lock-free. Time is read from the injected
 * {@link Clock}.
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
   * Hears about outages: a {@link BackendListener}, of which a guard calls
   * {@link BackendListener#onOutage(String, Throwable)} (the backend just went from up to down) and
   * {@link BackendListener#onRecovery(String, Duration)} (a probe got an answer). Kept so existing listeners
   * compile; new code implements {@link BackendListener}.
   */
  public interface Listener extends BackendListener {}

  /**
   * A snapshot of the guard's counters since it was created.
   *
   * @param state the state when the snapshot was taken
   * @param failures operations that threw {@link BackendUnavailableException} (probes included)
   * @param fastFailures calls refused without contacting the backend
   * @param probes operations run during an outage to check whether the backend is back
   * @param outages transitions from up to down
   * @param slowCalls calls that answered at or above the {@linkplain Builder#slowCallThreshold(Duration, int)
   *     slow-call threshold} (0 without one)
   */
  public record Stats(State state, long failures, long fastFailures, long probes, long outages, long slowCalls) {}

  /** A remembered outage; replaced as a whole, never mutated. */
  private record Outage(long sinceNanos, long nextProbeNanos, BackendUnavailableException cause, String message) {}

  private final String name;
  private final long retryIntervalNanos;
  private final Clock clock;
  private final BackendListener listener;
  private final long slowNanos;
  private final int slowInARowToTrip;

  private final AtomicReference<@Nullable Outage> outage = new AtomicReference<>();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final LongAdder failures = new LongAdder();
  private final LongAdder fastFailures = new LongAdder();
  private final LongAdder probes = new LongAdder();
  private final LongAdder outages = new LongAdder();
  private final LongAdder slowCalls = new LongAdder();
  private final AtomicInteger slowInARow = new AtomicInteger();

  private BackendGuard(Builder builder) {
    this.name = builder.name;
    this.retryIntervalNanos = builder.retryIntervalNanos;
    this.clock = builder.clock;
    this.listener = builder.listener;
    this.slowNanos = builder.slowNanos;
    this.slowInARowToTrip = builder.slowInARow;
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
    if (slowNanos > 0) {
      return callTimed(operation);
    }
    try {
      return operation.get();
    } catch (BackendUnavailableException e) {
      recordFailure(e);
      throw e;
    }
  }

  private <T> T callTimed(Supplier<T> operation) {
    long start = clock.nanoTime();
    T result;
    try {
      result = operation.get();
    } catch (BackendUnavailableException e) {
      recordFailure(e);
      throw e;
    }
    BackendUnavailableException slow = checkSlow(start);
    if (slow != null) {
      recordFailure(slow);
    }
    return result;
  }

  /** Counts a call that took too long; returns the outage to record when enough did in a row. */
  private @Nullable BackendUnavailableException checkSlow(long startNanos) {
    long took = clock.nanoTime() - startNanos;
    if (took < slowNanos) {
      slowInARow.set(0);
      return null;
    }
    slowCalls.increment();
    int inARow = slowInARow.incrementAndGet();
    if (inARow < slowInARowToTrip) {
      return null;
    }
    slowInARow.set(0);
    return new BackendUnavailableException(name + " answered " + inARow + " calls in a row in "
        + Duration.ofNanos(slowNanos).toMillis() + " ms or more (the last in " + Duration.ofNanos(took).toMillis()
        + " ms): treated as an outage", null);
  }

  private <T> T callDuringOutage(Outage current, Supplier<T> operation) {
    if (clock.nanoTime() - current.nextProbeNanos() < 0 || !probing.compareAndSet(false, true)) {
      fastFailures.increment();
      throw BackendUnavailableException.failFast(current.message(), current.cause());
    }
    probes.increment();
    long start = clock.nanoTime();
    try {
      T result = operation.get();
      BackendUnavailableException slow = slowNanos > 0 ? checkSlowProbe(start) : null;
      if (slow != null) {
        recordFailure(slow); // an answer, but still too slow: the outage goes on
      } else {
        recordRecovery();
      }
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

  /** A probe must answer within the threshold to end an outage; one slow probe extends it. */
  private @Nullable BackendUnavailableException checkSlowProbe(long startNanos) {
    long took = clock.nanoTime() - startNanos;
    if (took < slowNanos) {
      return null;
    }
    slowCalls.increment();
    return new BackendUnavailableException(name + " answered a probe in " + Duration.ofNanos(took).toMillis()
        + " ms, not under the slow-call threshold of " + Duration.ofNanos(slowNanos).toMillis() + " ms", null);
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
    return new Stats(state(), failures.sum(), fastFailures.sum(), probes.sum(), outages.sum(), slowCalls.sum());
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
    private BackendListener listener = BackendListener.noop();
    private long slowNanos;
    private int slowInARow = 1;

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
     * Hears about outages and recoveries ({@link BackendListener#onOutage}, {@link BackendListener#onRecovery}).
     *
     * @param listener default: {@link BackendListener#noop()}
     * @return this builder
     */
    public Builder listener(BackendListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Treats a backend that answers slowly as down: once {@code inARow} calls in a row took {@code threshold}
     * or longer (by the guard's clock, around the whole operation), the guard records an outage, exactly as
     * if the last of them had failed; the slow call itself still returns its result. During the outage a probe
     * must answer in less than {@code threshold} to end it. Set the threshold below the client's socket
     * timeout, or the client times out first.
     *
     * @param threshold a positive duration; default: none (a slow answer is an answer)
     * @param inARow how many slow calls in a row make an outage, at least 1 (1 trips on the first: a single GC
     *     pause in this JVM can cause it)
     * @return this builder
     */
    public Builder slowCallThreshold(Duration threshold, int inARow) {
      this.slowNanos = Require.positiveNanos(threshold, "threshold");
      this.slowInARow = (int) Require.positive(inARow, "inARow");
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
