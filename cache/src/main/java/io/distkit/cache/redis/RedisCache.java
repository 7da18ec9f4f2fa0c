package io.distkit.cache.redis;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheBuilder;
import io.distkit.core.FailurePolicy;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.FailurePolicyHandler;
import io.distkit.core.session.PolicySupport;
import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * A cache in Redis (standalone, Sentinel or Cluster), shared by every JVM on it, with the contract of
 * {@link Cache}.
 *
 * <pre>{@code
 * Cache<String, String> names = RedisCache.builder("names", RedisBackend.create(jedis), Codec.utf8().versioned(1))
 *     .defaultTtl(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * <h2>In Redis</h2>
 * One string key per entry, {@code <prefix>:cache:{<key>}:<name>} (the key's text in the hash tag, so entries
 * spread over a Cluster's slots), with the entry's time to live ({@code PX}), holding a format byte, whether it is a
 * value or a remembered absence, the cache epoch it was written in, and the value codec's bytes. What else is found
 * under such a key is refused with a {@link io.distkit.core.codec.CodecException}, never handed to the value codec:
 * distkit never uses Java serialization. One more key per cache, {@code <prefix>:cache:{<name>}:epoch}, is the epoch
 * {@link Cache#invalidateAll()} advances (one command) instead of deleting entries: entries of earlier epochs read
 * as misses and expire on their own.
 *
 * <h2>Round trips</h2>
 * {@code getIfPresent}, {@code put}, {@code invalidate}: one command each ({@code GET}, {@code SET PX},
 * {@code DEL}). {@code get} with a loader: one {@code GET}; on a miss, the first caller in this JVM reads once more
 * and takes the {@linkplain Builder#fillLease fill lease} in one {@code EVALSHA} (another JVM, or a caller that just
 * finished, may have filled it), loads, and fills with one {@code EVALSHA} that writes only as the lease's holder and
 * only where nothing of its epoch or later is (a write that landed during the load is newer), while
 * concurrent callers of that key in this JVM wait for its outcome. {@code getAll} and {@code putAll}: one pipeline
 * per Redis node, the keys grouped by slot. {@code invalidateAll}: one {@code EVALSHA} and one publish. With a
 * {@linkplain Builder#near near cache}, a hit on a copy costs none, and a write one publish more.
 *
 * <h2>Coherence</h2>
 * Without a near cache, Redis is the only copy: a write or an invalidation is seen by every JVM's next read. {@code invalidateAll} from
 * another JVM is seen when its message arrives (core's shared pub/sub), or at the next
 * {@linkplain Builder#epochCheckInterval epoch check} if the message was lost; a write racing it from a JVM that has
 * not heard it yet is dropped (read as a miss), never served after the invalidation was heard.
 *
 * <h2>When Redis is down</h2>
 * Reads follow the failure policy: {@link FailurePolicy#FAIL_CLOSED} (the default) throws
 * {@link io.distkit.core.BackendUnavailableException}; {@link FailurePolicy#FAIL_OPEN} reads as a miss, so
 * {@code get} with a loader loads from the source (uncached); {@link FailurePolicy#FALLBACK_TO_LOCAL}, with a near
 * cache, answers from its copies. Writes and invalidations always throw: an invalidation dropped in silence would let
 * stale values be read once Redis is back.
 */
public final class RedisCache {

  /** The longest time to live an entry may have: 30 days (the epoch key outlives every entry). */
  public static final Duration MAX_TTL = Duration.ofDays(30);

  /** The default {@linkplain Builder#epochCheckInterval epoch check interval}: 1 second. */
  public static final Duration DEFAULT_EPOCH_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The default {@linkplain Builder#fillLease fill lease}: 2 seconds. */
  public static final Duration DEFAULT_FILL_LEASE = Duration.ofSeconds(2);

  /** The default {@linkplain Builder#near near cache} time to live of a copy: 30 seconds. */
  public static final Duration DEFAULT_NEAR_TTL = Duration.ofSeconds(30);

  /** The default {@linkplain Builder#reconcileInterval reconciliation interval}: 1 second. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(1);

  /** What a Redis cache does when Redis is unavailable. */
  static final PolicySupport POLICIES = PolicySupport.of("cache")
      .supports(FailurePolicy.FAIL_CLOSED, FailurePolicy.FAIL_OPEN, FailurePolicy.FALLBACK_TO_LOCAL);

  private RedisCache() {}

  /**
   * Starts configuring a Redis cache.
   *
   * @param name the cache's name, part of every key: non-blank, at most 1,024 bytes of UTF-8
   * @param backend the Redis to keep it in
   * @param values how values are stored: give it a format version ({@link Codec#versioned(int)})
   * @param <K> the type of keys
   * @param <V> the type of values
   * @return a builder with every other setting at its default
   */
  public static <K, V> Builder<K, V> builder(String name, RedisBackend backend, Codec<V> values) {
    return new Builder<>(RedisKeys.checkName(name, "name"), Objects.requireNonNull(backend, "backend"),
        Objects.requireNonNull(values, "values"));
  }

  /**
   * Configures a {@link RedisCache}: the settings of {@link CacheBuilder} and these.
   *
   * <table>
   *   <caption>Redis settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #keyText}</td><td>{@code String.valueOf}</td><td>a key's text in its Redis key</td></tr>
   *   <tr><td>{@link #keyPrefix}</td><td>{@value RedisKeys#DEFAULT_PREFIX}</td><td>the keys' prefix</td></tr>
   *   <tr><td>{@link #failurePolicy}</td><td>{@link FailurePolicy#FAIL_CLOSED}</td><td>what reads do when Redis is
   *       down</td></tr>
   *   <tr><td>{@link #epochCheckInterval}</td><td>{@link #DEFAULT_EPOCH_CHECK_INTERVAL}</td><td>how often the
   *       epoch is read again, in case an {@code invalidateAll} message was lost</td></tr>
   *   <tr><td>{@link #timeSource}</td><td>{@link TimeSource#SERVER}</td><td>whose clock epochs run on</td></tr>
   *   <tr><td>{@link #scheduler}</td><td>{@link Scheduler#shared()}</td><td>where epoch checks run</td></tr>
   *   <tr><td>{@link #fillLease}</td><td>{@link #DEFAULT_FILL_LEASE}</td><td>one JVM loads a missed key for the
   *       fleet</td></tr>
   *   <tr><td>{@link #near}</td><td>off</td><td>a coherent copy of entries in this JVM</td></tr>
   *   <tr><td>{@link #reconcileInterval}</td><td>{@link #DEFAULT_RECONCILE_INTERVAL}</td><td>how soon a near
   *       cache finds an invalidation message it lost</td></tr>
   * </table>
   *
   * @param <K> the type of keys
   * @param <V> the type of values
   */
  public static final class Builder<K, V> extends CacheBuilder<K, V, Builder<K, V>> {
    private final RedisBackend backend;
    private final Codec<V> values;
    private Function<? super K, String> keyText = String::valueOf;
    private String keyPrefix = RedisKeys.DEFAULT_PREFIX;
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;
    private Duration epochCheckInterval = DEFAULT_EPOCH_CHECK_INTERVAL;
    private TimeSource timeSource = TimeSource.SERVER;
    private Scheduler scheduler = Scheduler.shared();
    private long nearMaximumSize;
    private Duration nearTtl = DEFAULT_NEAR_TTL;
    private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
    private Duration fillLease = DEFAULT_FILL_LEASE;

    private Builder(String name, RedisBackend backend, Codec<V> values) {
      super(name);
      this.backend = backend;
      this.values = values;
    }

    /**
     * A key's text in its Redis key. It must tell keys apart: two keys with the same text are one entry.
     *
     * @param keyText default {@code String.valueOf} (right for strings, numbers, UUIDs)
     * @return this builder
     */
    public Builder<K, V> keyText(Function<? super K, String> keyText) {
      this.keyText = Objects.requireNonNull(keyText, "keyText");
      return this;
    }

    /**
     * The prefix of the cache's keys.
     *
     * @param keyPrefix see {@link RedisKeys#of(String, String)}; default {@value RedisKeys#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder<K, V> keyPrefix(String keyPrefix) {
      RedisKeys.of(keyPrefix, "cache"); // checks it
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * What reads do when Redis is unavailable: {@link FailurePolicy#FAIL_CLOSED} throws,
     * {@link FailurePolicy#FAIL_OPEN} reads as a miss (a loader then loads from the source, uncached), and
     * {@link FailurePolicy#FALLBACK_TO_LOCAL}, for a {@linkplain #near near cache} only, answers from the JVM's copy
     * when it has one (counted in {@link io.distkit.cache.CacheStats#staleServed()}: the copy may be older than
     * Redis' value) and reads as a miss when not. Writes and invalidations throw under every policy.
     *
     * @param policy default {@link FailurePolicy#FAIL_CLOSED}
     * @return this builder
     */
    public Builder<K, V> failurePolicy(FailurePolicy policy) {
      this.failurePolicy = POLICIES.check(Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * How often the cache's epoch is read again, which bounds how long another JVM's {@code invalidateAll} goes
     * unseen when its message is lost.
     *
     * @param interval at least 1 ms; default {@link #DEFAULT_EPOCH_CHECK_INTERVAL}
     * @return this builder
     */
    public Builder<K, V> epochCheckInterval(Duration interval) {
      this.epochCheckInterval = atLeastOneMilli(interval, "epochCheckInterval");
      return this;
    }

    /**
     * Whose clock epochs run on: the server's, or the builder's clock (for tests on a manual clock).
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder<K, V> timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Where epoch checks run.
     *
     * @param scheduler default {@link Scheduler#shared()}; a {@code ManualScheduler} in tests
     * @return this builder
     */
    public Builder<K, V> scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Keeps a near copy of entries in this JVM (L1, Caffeine) over Redis (L2): a hit on a copy costs no round trip.
     * Copies stay coherent with every JVM's writes through a near cache of the same name: each write or invalidation
     * publishes the key, and the other JVMs drop their copy when the message arrives (and void a fill of it racing
     * the message, so a fill never installs a value older than an invalidation it raced). A lost message is found
     * within two {@linkplain #reconcileInterval reconciliation intervals} and every copy dropped; while the
     * subscription is down copies are not used (reads go to Redis), and every copy is dropped when it is back. A
     * copy lives at most {@code ttl} (it does not know its entry's remaining time in Redis). Writes cost one publish
     * more than without a near cache. Writes to the same Redis keys by a cache without {@code near} are not
     * announced: every JVM writing a name should use a near cache, or accept copies up to {@code ttl} old.
     *
     * @param maximumSize copies kept at most: at least 1
     * @param ttl how long a copy lives: at least 1 ms; {@link #DEFAULT_NEAR_TTL} is a sound start
     * @return this builder
     */
    public Builder<K, V> near(long maximumSize, Duration ttl) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException("maximumSize (" + maximumSize + ") of a near cache must be at least 1");
      }
      this.nearTtl = atLeastOneMilli(ttl, "ttl");
      this.nearMaximumSize = maximumSize;
      return this;
    }

    /**
     * How often a near cache records its last invalidation message's sequence in Redis and compares the other JVMs'
     * with those it received: a lost message is found within two intervals.
     *
     * @param interval at least 1 ms; default {@link #DEFAULT_RECONCILE_INTERVAL}
     * @return this builder
     */
    public Builder<K, V> reconcileInterval(Duration interval) {
      this.reconcileInterval = atLeastOneMilli(interval, "reconcileInterval");
      return this;
    }

    /**
     * The fleet-wide fill lease: on a miss, the first JVM to ask takes a short lease on the key and loads; the
     * others wait for its fill (re-reading at 5 ms, then doubling pauses up to 100 ms) for at most the lease, then
     * load for themselves. Only the lease's holder fills, and an {@code invalidate} during its load ends the lease, so
     * a value loaded before an invalidation is not written after it (the memcache lease of Nishtala et al.).
     *
     * @param lease zero to turn it off (every JVM loads its own misses), or at least 1 ms; default
     *     {@link #DEFAULT_FILL_LEASE}
     * @return this builder
     */
    public Builder<K, V> fillLease(Duration lease) {
      Objects.requireNonNull(lease, "fillLease");
      this.fillLease = lease.isZero() ? lease : atLeastOneMilli(lease, "fillLease");
      return this;
    }

    @Override
    public Cache<K, V> build() {
      if (configuredDefaultTtl().compareTo(MAX_TTL) > 0) {
        throw new IllegalArgumentException("defaultTtl (" + configuredDefaultTtl() + ") must be at most " + MAX_TTL);
      }
      if (configuredNegativeTtl().compareTo(MAX_TTL) > 0) {
        throw new IllegalArgumentException("negativeTtl (" + configuredNegativeTtl() + ") must be at most "
            + MAX_TTL);
      }
      boolean copiesWhenDown = failurePolicy == FailurePolicy.FALLBACK_TO_LOCAL;
      if (copiesWhenDown && nearMaximumSize == 0) {
        throw new IllegalArgumentException("failurePolicy FALLBACK_TO_LOCAL needs a near cache (near(...)): without "
            + "copies in this JVM there is nothing local to answer from");
      }
      String name = configuredName();
      RedisKeys keys = RedisKeys.of(keyPrefix, "cache");
      // with copies to fall back on, Redis' failures reach the near cache, which answers from them
      FailurePolicyHandler policy = FailurePolicyHandler.builder("cache:" + name, POLICIES,
          copiesWhenDown ? FailurePolicy.FAIL_CLOSED : failurePolicy).build();
      RedisSubscriptions.Share pubsub = RedisSubscriptions.shared(backend, scheduler, configuredClock());
      CacheEpochs epochs = new CacheEpochs(backend, keys.key(name, "epoch"), keys.key(name, "invalidations"),
          RedisTime.of(timeSource, configuredClock()), pubsub, scheduler, epochCheckInterval);
      RedisBackedCache<K, V> redis = new RedisBackedCache<>(name, backend, keys, values, keyText,
          configuredDefaultTtl(), configuredNegativeTtl(), configuredClock(), configuredListener(), policy, epochs,
          fillLease);
      if (nearMaximumSize == 0) {
        return redis;
      }
      return new NearCache<>(redis, keyText, !configuredNegativeTtl().isZero(), copiesWhenDown, nearMaximumSize,
          nearTtl,
          configuredClock(), backend, RedisSubscriptions.shared(backend, scheduler, configuredClock()),
          keys.key(name, "near"), keys.key(name, "sources"), scheduler, reconcileInterval, epochs,
          configuredListener());
    }
  }
}
