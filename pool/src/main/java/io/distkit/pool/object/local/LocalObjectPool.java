package io.distkit.pool.object.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolListener;
import io.distkit.pool.object.PooledObjectFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * An object pool in this JVM.
 *
 * <pre>{@code
 * ObjectPool<Connection> pool = LocalObjectPool.builder("db", factory)
 *     .maxSize(20).minIdle(2).acquireTimeout(Duration.ofSeconds(2)).build();
 * }</pre>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li><b>Borrowing</b> takes an idle object with one compare-and-set and one clock reading; an object neither lent
 *       nor validated for {@code validateAfterIdle} is validated first, on the borrowing thread, and one past its
 *       lifetime is destroyed instead; a validation on borrow is given at most what is left of the borrower's wait
 *       (so a dead connection cannot hold a borrower past its timeout by more than 50 ms). Giving back is one
 *       compare-and-set and no clock reading (one loan in 16 is timed for the usage statistic). Neither allocates
 *       beyond the lease (which the JIT removes in a tight loop), nor uses a {@code ThreadLocal}, nor holds a
 *       monitor.
 *   <li><b>Waiting</b>: a caller that finds nothing idle waits in a FIFO line, up to its timeout (always finite:
 *       {@code acquireTimeout} by default); an object given back goes to the first in line.
 *   <li><b>Creating</b> runs on the scheduler, never on the caller's thread, at most {@code maxConcurrentCreates} at
 *       a time, and only while callers wait (or fewer than {@code minIdle} are idle) beyond the creations under way:
 *       a burst of 50 callers makes a few objects, not 50. A failing factory is retried after a backoff
 *       ({@code creationBackoff}) while objects are needed; the first creation that works ends the backoff. A caller
 *       that times out meanwhile is told the factory's last failure.
 *   <li><b>Housekeeping</b> every {@code healthCheckInterval} on the scheduler: objects idle longer than
 *       {@code validateAfterIdle} are validated, objects seen idle (not lent) for {@code idleTimeout} are destroyed
 *       while more than {@code minIdle} are idle (at most one interval late), objects past {@code maxLifetime} (less up to 2.5% jitter, so that they
 *       do not all expire together) are destroyed, leases held past {@code leakThreshold} are reported once each
 *       (with the stack of their acquisition), and objects are created up to {@code minIdle}.
 *   <li><b>Closing</b> fails waiters, destroys idle objects, waits up to {@code closeTimeout} for lent ones and then
 *       destroys them too.
 * </ul>
 *
 * @see ObjectPool
 */
public final class LocalObjectPool {

  /** The default maximum size: 10 objects. */
  public static final int DEFAULT_MAX_SIZE = 10;
  /** The default acquire timeout: 30 s. */
  public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
  /** The default idle time after which an object is validated before it is lent: 500 ms. */
  public static final Duration DEFAULT_VALIDATE_AFTER_IDLE = Duration.ofMillis(500);
  /** The default longest validation: 5 s. */
  public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
  /** The default idle timeout: 10 min. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  /** The default maximum lifetime: 30 min. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);
  /** The default housekeeping interval: 30 s. */
  public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(30);
  /** The default close timeout: 10 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  /** The default bound on creations under way: 2. */
  public static final int DEFAULT_MAX_CONCURRENT_CREATES = 2;
  /** The default backoff after failed creations: 10 ms doubling to 1 s, with jitter. */
  public static final Backoff DEFAULT_CREATION_BACKOFF = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1));

  private LocalObjectPool() {}

  /**
   * Starts configuring a pool.
   *
   * @param name the pool's name (for messages, stats and threads): non-blank
   * @param factory makes, validates and destroys the objects
   * @param <T> the type of the pooled objects
   * @return a builder with every setting at its default
   */
  public static <T> Builder<T> builder(String name, PooledObjectFactory<T> factory) {
    return new Builder<>(name, factory);
  }

  /**
   * Configures a {@link LocalObjectPool}. Every setting has a default; {@link #build()} starts the pool.
   *
   * <table>
   *   <caption>Settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #maxSize}</td><td>10</td><td>objects at most, lent or idle</td></tr>
   *   <tr><td>{@link #minIdle}</td><td>0</td><td>idle objects kept ready (created in the background)</td></tr>
   *   <tr><td>{@link #acquireTimeout}</td><td>30 s</td><td>the wait of {@code acquire()} without a timeout</td></tr>
   *   <tr><td>{@link #validateAfterIdle}</td><td>500 ms</td><td>an object neither lent nor validated for this long
   *       is validated before it is lent, and by housekeeping</td></tr>
   *   <tr><td>{@link #validationTimeout}</td><td>5 s</td><td>the longest a validation may take (on a borrow, at
   *       most what is left of the borrower's wait, at least 50 ms)</td></tr>
   *   <tr><td>{@link #idleTimeout}</td><td>10 min</td><td>seen idle this long: destroyed (above {@code minIdle});
   *       zero: never</td></tr>
   *   <tr><td>{@link #maxLifetime}</td><td>30 min</td><td>destroyed at this age (less up to 2.5%), when a borrow or
   *       housekeeping finds it idle; zero: never</td></tr>
   *   <tr><td>{@link #healthCheckInterval}</td><td>30 s</td><td>how often housekeeping runs</td></tr>
   *   <tr><td>{@link #leakThreshold}</td><td>zero (off)</td><td>a lease held longer is reported; each acquisition
   *       then captures its stack (costly)</td></tr>
   *   <tr><td>{@link #maxConcurrentCreates}</td><td>2</td><td>creations under way at most</td></tr>
   *   <tr><td>{@link #creationBackoff}</td><td>10 ms to 1 s</td><td>pause after failed creations</td></tr>
   *   <tr><td>{@link #closeTimeout}</td><td>10 s</td><td>how long {@code close()} waits for lent objects</td></tr>
   *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>where creation, destruction and
   *       housekeeping run</td></tr>
   *   <tr><td>{@link #clock}</td><td>{@link Clock#system()}</td><td>every time the pool reads</td></tr>
   *   <tr><td>{@link #listener}</td><td>{@link PoolListener#NONE}</td><td>hears creations, destructions, leaks
   *       and timeouts</td></tr>
   * </table>
   *
   * @param <T> the type of the pooled objects
   */
  public static final class Builder<T> {
    final String name;
    final PooledObjectFactory<T> factory;
    int maxSize = DEFAULT_MAX_SIZE;
    int minIdle;
    int maxConcurrentCreates = DEFAULT_MAX_CONCURRENT_CREATES;
    long acquireTimeoutNanos = DEFAULT_ACQUIRE_TIMEOUT.toNanos();
    long validateAfterIdleNanos = DEFAULT_VALIDATE_AFTER_IDLE.toNanos();
    long validationTimeoutNanos = DEFAULT_VALIDATION_TIMEOUT.toNanos();
    long idleTimeoutNanos = DEFAULT_IDLE_TIMEOUT.toNanos();
    long maxLifetimeNanos = DEFAULT_MAX_LIFETIME.toNanos();
    long healthCheckNanos = DEFAULT_HEALTH_CHECK_INTERVAL.toNanos();
    long leakThresholdNanos;
    long closeTimeoutNanos = DEFAULT_CLOSE_TIMEOUT.toNanos();
    Backoff creationBackoff = DEFAULT_CREATION_BACKOFF;
    Scheduler scheduler = Scheduler.shared();
    Clock clock = Clock.system();
    PoolListener listener = PoolListener.NONE;

    private Builder(String name, PooledObjectFactory<T> factory) {
      this.name = Require.nonBlank(name, "name");
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The most objects alive at once, lent or idle.
     *
     * @param maxSize at least 1; default 10
     * @return this builder
     */
    public Builder<T> maxSize(int maxSize) {
      if (maxSize < 1) {
        throw new IllegalArgumentException("maxSize (" + maxSize + ") must be at least 1");
      }
      this.maxSize = maxSize;
      return this;
    }

    /**
     * Idle objects kept ready: housekeeping (and the build) creates objects in the background until this many are
     * idle, within {@link #maxSize}, and idle eviction stops at it.
     *
     * @param minIdle 0 to {@code maxSize}; default 0
     * @return this builder
     */
    public Builder<T> minIdle(int minIdle) {
      if (minIdle < 0) {
        throw new IllegalArgumentException("minIdle (" + minIdle + ") must be at least 0");
      }
      this.minIdle = minIdle;
      return this;
    }

    /**
     * The wait of {@link ObjectPool#acquire()}.
     *
     * @param timeout zero or more; default 30 s
     * @return this builder
     */
    public Builder<T> acquireTimeout(Duration timeout) {
      this.acquireTimeoutNanos = Require.nonNegativeNanos(timeout, "acquireTimeout");
      return this;
    }

    /**
     * How long an object may go neither lent nor validated before it is validated
     * ({@link PooledObjectFactory#validate}) on its way to a borrower (a loan longer than this is also validated at
     * the next borrow); housekeeping validates idle objects unchecked for this long too.
     *
     * @param idle zero (validate on every borrow) or more; default 500 ms
     * @return this builder
     */
    public Builder<T> validateAfterIdle(Duration idle) {
      this.validateAfterIdleNanos = Require.nonNegativeNanos(idle, "validateAfterIdle");
      return this;
    }

    /**
     * The longest a validation may take ({@link PooledObjectFactory#validate(Object, Duration)}): housekeeping gives
     * it this; a borrow gives it what is left of the borrower's wait, at least 50 ms and at most this.
     *
     * @param timeout positive; default 5 s
     * @return this builder
     */
    public Builder<T> validationTimeout(Duration timeout) {
      this.validationTimeoutNanos = Require.positiveNanos(timeout, "validationTimeout");
      return this;
    }

    /**
     * How long an object may sit idle before housekeeping destroys it (never below {@link #minIdle} idle).
     *
     * @param timeout zero (never) or more; default 10 min
     * @return this builder
     */
    public Builder<T> idleTimeout(Duration timeout) {
      this.idleTimeoutNanos = Require.nonNegativeNanos(timeout, "idleTimeout");
      return this;
    }

    /**
     * The age at which an object is destroyed (when a borrow or housekeeping finds it idle), less a random 0 to 2.5%
     * per object.
     *
     * @param lifetime zero (never) or more; default 30 min
     * @return this builder
     */
    public Builder<T> maxLifetime(Duration lifetime) {
      this.maxLifetimeNanos = Require.nonNegativeNanos(lifetime, "maxLifetime");
      return this;
    }

    /**
     * How often housekeeping runs (validation, eviction, lifetimes, leaks, {@code minIdle}).
     *
     * @param interval positive; default 30 s
     * @return this builder
     */
    public Builder<T> healthCheckInterval(Duration interval) {
      this.healthCheckNanos = Require.positiveNanos(interval, "healthCheckInterval");
      return this;
    }

    /**
     * Reports leases held longer than this ({@link PoolListener#onLeakSuspected}, and a WARN log with the stack of
     * the acquisition), at the next housekeeping. Capturing a stack per acquisition is costly: for diagnosis.
     *
     * @param threshold zero (off, the default) or positive
     * @return this builder
     */
    public Builder<T> leakThreshold(Duration threshold) {
      this.leakThresholdNanos = Require.nonNegativeNanos(threshold, "leakThreshold");
      return this;
    }

    /**
     * The most creations under way at once.
     *
     * @param creates at least 1; default 2
     * @return this builder
     */
    public Builder<T> maxConcurrentCreates(int creates) {
      if (creates < 1) {
        throw new IllegalArgumentException("maxConcurrentCreates (" + creates + ") must be at least 1");
      }
      this.maxConcurrentCreates = creates;
      return this;
    }

    /**
     * The pause after the n-th failed creation in a row.
     *
     * @param backoff default 10 ms doubling to 1 s, with jitter
     * @return this builder
     */
    public Builder<T> creationBackoff(Backoff backoff) {
      this.creationBackoff = Objects.requireNonNull(backoff, "creationBackoff");
      return this;
    }

    /**
     * How long {@link ObjectPool#close()} waits for lent objects to come back before destroying them.
     *
     * @param timeout zero or more; default 10 s
     * @return this builder
     */
    public Builder<T> closeTimeout(Duration timeout) {
      this.closeTimeoutNanos = Require.nonNegativeNanos(timeout, "closeTimeout");
      return this;
    }

    /**
     * Where creation, destruction, housekeeping and asynchronous hand-overs run.
     *
     * @param scheduler default {@link Scheduler#shared()}; a {@code ManualScheduler} in tests
     * @return this builder
     */
    public Builder<T> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The clock of every time the pool reads: waits, idle times, lifetimes, usage.
     *
     * @param clock default {@link Clock#system()}
     * @return this builder
     */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Hears creations, destructions, leaks and timeouts.
     *
     * @param listener default {@link PoolListener#NONE}
     * @return this builder
     */
    public Builder<T> listener(PoolListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Starts the pool: housekeeping is scheduled and {@code minIdle} objects are created in the background.
     *
     * @return the pool
     * @throws IllegalArgumentException when {@code minIdle} exceeds {@code maxSize}
     */
    public ObjectPool<T> build() {
      if (minIdle > maxSize) {
        throw new IllegalArgumentException("minIdle (" + minIdle + ") must not exceed maxSize (" + maxSize + ")");
      }
      return new SlotPool<>(this);
    }
  }
}
