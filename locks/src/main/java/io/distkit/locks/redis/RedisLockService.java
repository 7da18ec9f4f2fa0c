package io.distkit.locks.redis;

import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.internal.Require;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisLeases;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.PolicySupport;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.LockServiceBuilder;
import io.distkit.locks.internal.LockEvents;
import java.time.Duration;
import java.util.Objects;

/**
 * Locks, semaphores, read-write locks and elections in Redis (standalone, Sentinel or Cluster), shared by every JVM
 * on it, with the contract of {@link LockService}: fencing tokens that only grow, first come first served, leases on the server's clock.
 *
 * <pre>{@code
 * LockService locks = RedisLockService.builder(RedisBackend.create(jedis)).build();
 * }</pre>
 *
 * <h2>In Redis</h2>
 * Four keys per lock under its hash tag, {@code <prefix>:locks:{<name>}:lease|token|line|waiters}: core's lease set
 * with one holder, core's fencing token ({@code max(last + 1, now in µs)}), the line of waiters (a list) and what
 * each waits with (a hash). Each JVM's service listens on one notification channel of its own, through core's
 * shared pub/sub hub (one connection per client).
 *
 * <h2>Round trips</h2>
 * Uncontended, a lock costs one {@code EVALSHA} to acquire (the token included) and one to release: two per
 * cycle. A release with waiters hands the lock straight to the first one inside the same script (with a short
 * claim lease) and publishes its id on the waiter's channel (from the script itself unless pub/sub is sharded, as on
 * Redis 7 Cluster, where the releasing JVM publishes right after it): the waiter alone wakes, and claims the lock
 * with one {@code EVALSHA} (which also counts its lease from a request it sent). A notification lost on the way is covered
 * by each waiter's re-check every {@linkplain Builder#recheckInterval re-check interval}, which also hands on a
 * lock whose holder's lease ran out without a release. Renewed leases are renewed in batches by core's
 * {@link RedisLeases} (10,000 held locks: a few commands per renewal round, not 10,000).
 *
 * <h2>When Redis is down</h2>
 * {@code tryAcquire} throws {@link io.distkit.core.BackendUnavailableException} (a lock is never reported granted
 * when that is not known: a call whose reply was lost frees what it may have got if Redis can still be told, and
 * otherwise that lock runs out at its lease's TTL, renewed by nobody); a held handle turns invalid at its lease's conservative local deadline and its
 * {@code whenLost} hears {@code EXPIRED}.
 *
 * <h2>Semaphores, read-write locks, elections</h2>
 * The same scripts and four keys per name, under {@code <prefix>:semaphores:}, {@code <prefix>:rwlocks:} and
 * {@code <prefix>:elections:}: a holder holds alone (a lock, a writer, a leader) or shared up to a limit (a
 * semaphore's permits, readers); a release hands the name to every waiter at the head of the line that fits.
 */
public final class RedisLockService {

  /** The default {@linkplain Builder#recheckInterval re-check interval}: 1 second. */
  public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(1);

  /** The default {@linkplain Builder#claimTimeout claim timeout}: 2 seconds. */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(2);

  /** What a lock does when Redis is unavailable: it fails closed, and says why it cannot do otherwise. */
  static final PolicySupport POLICIES = PolicySupport.of("lock")
      .supports(FailurePolicy.FAIL_CLOSED)
      .refuses(FailurePolicy.FAIL_OPEN, "a lock that fails open lets every caller in at once")
      .refuses(FailurePolicy.FALLBACK_TO_LOCAL, "a JVM-local lock excludes nobody in other JVMs");

  private RedisLockService() {}

  /**
   * Starts configuring a Redis lock service.
   *
   * @param backend the Redis to keep locks in
   * @return a builder with every setting at its default
   */
  public static Builder builder(RedisBackend backend) {
    return new Builder(Objects.requireNonNull(backend, "backend"));
  }

  /**
   * Configures a {@link RedisLockService}: the settings of {@link LockServiceBuilder} and these.
   *
   * <table>
   *   <caption>Redis settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #keyPrefix}</td><td>{@value RedisKeys#DEFAULT_PREFIX}</td><td>the keys' prefix</td></tr>
   *   <tr><td>{@link #timeSource}</td><td>{@link TimeSource#SERVER}</td><td>whose clock leases and tokens run
   *       on</td></tr>
   *   <tr><td>{@link #recheckInterval}</td><td>{@link #DEFAULT_RECHECK_INTERVAL}</td><td>how often a waiter asks
   *       again, in case a notification was lost or a holder's lease ran out</td></tr>
   *   <tr><td>{@link #claimTimeout}</td><td>{@link #DEFAULT_CLAIM_TIMEOUT}</td><td>how long a lock handed to a
   *       waiter stays reserved for it before it goes to the next one</td></tr>
   *   <tr><td>{@link #failurePolicy}</td><td>{@link FailurePolicy#FAIL_CLOSED}</td><td>the only one a lock
   *       can honour: the others are refused with the reason</td></tr>
   *   <tr><td>{@link #leaseCheckInterval}</td><td>{@link RedisLeases#DEFAULT_CHECK_INTERVAL}</td><td>how often
   *       renewed leases are checked and renewed; a renewed lease's TTL must be at least three of them</td></tr>
   * </table>
   */
  public static final class Builder extends LockServiceBuilder<Builder> {
    private final RedisBackend backend;
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private TimeSource timeSource = TimeSource.SERVER;
    private Duration recheckInterval = DEFAULT_RECHECK_INTERVAL;
    private Duration claimTimeout = DEFAULT_CLAIM_TIMEOUT;
    private Duration leaseCheckInterval = RedisLeases.DEFAULT_CHECK_INTERVAL;

    private Builder(RedisBackend backend) {
      this.backend = backend;
    }

    /**
     * The prefix of the locks' keys.
     *
     * @param keyPrefix see {@link RedisKeys#of(String, String)}; default {@value RedisKeys#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      RedisKeys.of(keyPrefix, "locks"); // checks it
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Whose clock leases and tokens run on: the Redis server's (every JVM agrees, however skewed their clocks) or
     * the builder's {@link #clock} (for tests driven by a manual clock).
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * How often a waiting caller asks Redis again: it covers a lost notification and a holder whose lease ran out
     * without a release, never busy polling.
     *
     * @param interval at least 1 ms; default {@link #DEFAULT_RECHECK_INTERVAL}
     * @return this builder
     */
    public Builder recheckInterval(Duration interval) {
      this.recheckInterval = atLeastOneMilli(interval, "recheckInterval");
      return this;
    }

    /**
     * How long a lock handed to a waiter stays reserved for it; a waiter that went away meanwhile (its process
     * died) is skipped after it.
     *
     * @param timeout at least 1 ms; default {@link #DEFAULT_CLAIM_TIMEOUT}
     * @return this builder
     */
    public Builder claimTimeout(Duration timeout) {
      this.claimTimeout = atLeastOneMilli(timeout, "claimTimeout");
      return this;
    }

    /**
     * What a call does when Redis is unavailable. Only {@link FailurePolicy#FAIL_CLOSED} (throw
     * {@link io.distkit.core.BackendUnavailableException}) keeps a lock's promise: {@code FAIL_OPEN} would let every
     * caller in, and {@code FALLBACK_TO_LOCAL} would exclude nobody in other JVMs, so both are refused here.
     *
     * @param policy {@link FailurePolicy#FAIL_CLOSED}
     * @return this builder
     * @throws IllegalArgumentException for another policy, saying why
     */
    public Builder failurePolicy(FailurePolicy policy) {
      POLICIES.check(policy);
      return this;
    }

    /**
     * How often renewed leases are checked and renewed (core's {@link RedisLeases}).
     *
     * @param interval at least 1 ms; default {@link RedisLeases#DEFAULT_CHECK_INTERVAL}
     * @return this builder
     */
    public Builder leaseCheckInterval(Duration interval) {
      this.leaseCheckInterval = atLeastOneMilli(interval, "leaseCheckInterval");
      return this;
    }

    private static Duration atLeastOneMilli(Duration value, String name) {
      if (Require.positiveNanos(value, name) < 1_000_000L) {
        throw new IllegalArgumentException(name + " (" + value + ") must be at least 1 ms");
      }
      return value;
    }

    @Override
    public LockService build() {
      LockLease defaultLease = configuredDefaultLease();
      if (defaultLease.renewed() && defaultLease.ttl().compareTo(leaseCheckInterval.multipliedBy(3)) < 0) {
        throw new IllegalArgumentException("defaultLease's ttl (" + defaultLease.ttl() + ") must be at least three "
            + "lease check intervals (" + leaseCheckInterval.multipliedBy(3) + ") to be renewed");
      }
      LockEvents events = new LockEvents(configuredListener());
      RedisLeases leases = RedisLeases.builder(backend).scheduler(configuredScheduler()).clock(configuredClock())
          .timeSource(timeSource).checkInterval(leaseCheckInterval).listener(new BackendListener() {
            @Override
            public void onError(String source, BackendUnavailableException error) {
              events.renewalFailed(error); // RedisLeases reports only failed renewal rounds here
            }
          }).build();
      RedisSubscriptions.Share pubsub = RedisSubscriptions.shared(backend, configuredScheduler(), configuredClock());
      return new RedisLocks(backend, RedisKeys.of(keyPrefix, "locks"), RedisTime.of(timeSource, configuredClock()),
          defaultLease, configuredClock(), configuredScheduler(), events, recheckInterval,
          claimTimeout, leaseCheckInterval, leases, pubsub);
    }
  }
}
