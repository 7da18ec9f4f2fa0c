package io.distkit.ratelimit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.internal.Listeners;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.redis.TimeSource;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterBuilder;
import io.distkit.ratelimit.RateLimiterStats;
import io.distkit.ratelimit.internal.AbstractRateLimiter;
import io.distkit.ratelimit.internal.CompiledLimit;
import io.distkit.ratelimit.internal.LimiterSettings;
import io.distkit.ratelimit.internal.MonotonicMicros;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.UnifiedJedis;

/**
 * A rate limiter whose state lives in Redis, shared by every JVM that uses the same Redis and limiter name.
 *
 * <pre>{@code
 * RateLimiter limiter = RedisRateLimiter.builder(jedis)          // a RedisClient or RedisClusterClient
 *     .name("api")
 *     .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, 100, Duration.ofMinutes(1)))
 *     .failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL)
 *     .build();
 * }</pre>
 *
 * <p><b>One round trip.</b> Every decision is one {@code EVALSHA} of one script that reads, decides and
 * writes atomically, whatever the contention: no read-then-compare-and-swap, no retries. A limit of several
 * bandwidths is still one call. A denial writes nothing.
 *
 * <p><b>Time.</b> By default scripts read the Redis server's clock ({@link TimeSource#SERVER}), so JVMs
 * with skewed clocks still agree. {@link TimeSource#CLIENT} passes this limiter's clock instead (monotonic,
 * anchored to wall time at construction), which is how tests drive Redis with a manual clock. Either way a
 * key's time never goes backwards.
 *
 * <p><b>Keys.</b> One key per user key and algorithm, {@code <prefix>:ratelimit:{<key>}:<name>:<algorithm>}
 * (algorithm {@code tb}, {@code gcra}, {@code fw}, {@code log} or {@code swc}),
 * a string for token bucket, GCRA, fixed window and sliding window counter (two to four integers per
 * bandwidth), a sorted set with one member per admitted permit for the sliding log. Every key expires exactly
 * when its state would be fresh again. Works on Redis Cluster: all keys of one user key share a hash tag.
 *
 * <p><b>Redis down.</b> Decisions go through a {@link BackendGuard}: after the first failure (one client
 * timeout at most), decisions skip Redis for the guard's retry interval and a single probe checks whether it
 * is back, so an outage costs microseconds per decision. What the decision is then depends on the
 * {@link FailurePolicy}: {@code FAIL_CLOSED} throws {@link BackendUnavailableException} (the default),
 * {@code FAIL_OPEN} allows everything, {@code FALLBACK_TO_LOCAL} asks a {@link LocalRateLimiter} in this JVM
 * holding {@linkplain Builder#fallbackShare(double) a share} of each limit. Recovery is automatic. State
 * built up locally during the outage is not merged back into Redis.
 *
 * <p>Thread-safe. The Jedis client stays the caller's: distkit never closes it.
 */
public final class RedisRateLimiter extends AbstractRateLimiter {

  /** The default limiter name. */
  public static final String DEFAULT_NAME = "default";

  private static final Map<Algorithm, RedisScript> SCRIPTS = new EnumMap<>(Algorithm.class);

  static {
    for (Algorithm algorithm : Algorithm.values()) {
      SCRIPTS.put(algorithm, algorithm.supportsBurst()
          ? RedisScript.fromResources(RedisRateLimiter.class, "prelude.lua", "deficit.lua", algorithm.id() + ".lua")
          : RedisScript.fromResources(RedisRateLimiter.class, "prelude.lua", algorithm.id() + ".lua"));
    }
  }

  private static final byte[] SERVER_TIME = new byte[0];

  private final RedisBackend redis;
  private final RedisKeys keys;
  private final String[] parts;
  private final TimeSource timeSource;
  private final MonotonicMicros time;
  private final FailurePolicy policy;
  private final double fallbackShare;
  private final LocalRateLimiter fallback;
  private final Cache<RateLimit, RateLimit> fallbackLimits = Caffeine.newBuilder()
      .weakKeys()
      .executor(Runnable::run)
      .build();
  private final LongAdder backendErrors = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  private RedisRateLimiter(LimiterSettings settings, Builder builder) {
    super(settings);
    this.redis = builder.backend();
    this.keys = RedisKeys.of(builder.prefix, "ratelimit");
    this.parts = new String[Algorithm.values().length];
    for (Algorithm algorithm : Algorithm.values()) {
      parts[algorithm.ordinal()] = builder.name + ":" + keySuffix(algorithm);
    }
    this.timeSource = builder.timeSource;
    this.time = new MonotonicMicros(settings.clock());
    this.policy = builder.policy;
    this.fallbackShare = builder.fallbackShare;
    this.fallback = LocalRateLimiter.builder()
        .limits(key -> fallbackLimit(settings.resolver().limitFor(key)))
        .clock(settings.clock())
        .sleeper(settings.sleeper())
        .build();
  }

  /**
   * Starts configuring a limiter on the caller's Redis client.
   *
   * @param jedis a {@code RedisClient}, {@code RedisClusterClient} or sentinel client; never closed by
   *     distkit
   * @return a builder
   */
  public static Builder builder(UnifiedJedis jedis) {
    return new Builder(RedisBackend.create(Objects.requireNonNull(jedis, "jedis")));
  }

  /**
   * Starts configuring a limiter on a backend shared with other primitives, so they share one
   * {@link BackendGuard}: an outage seen by one is known to all.
   *
   * @param backend the shared backend
   * @return a builder
   */
  public static Builder builder(RedisBackend backend) {
    return new Builder(Objects.requireNonNull(backend, "backend"));
  }

  /** Short, because every byte of a key name is paid for once per user key. */
  private static String keySuffix(Algorithm algorithm) {
    return switch (algorithm) {
      case TOKEN_BUCKET -> "tb";
      case GCRA -> "gcra";
      case FIXED_WINDOW -> "fw";
      case SLIDING_LOG -> "log";
      case SLIDING_WINDOW_COUNTER -> "swc";
    };
  }

  private RateLimit fallbackLimit(RateLimit limit) {
    return fallbackShare == 1.0 ? limit : fallbackLimits.get(limit, l -> l.scaled(fallbackShare));
  }

  @Override
  protected RateLimitDecision decide(String key, long permits, CompiledLimit limit) {
    try {
      return ask(key, permits, limit);
    } catch (BackendUnavailableException e) {
      backendErrors.increment();
      if (hasListener()) {
        Listeners.notify(listener(), "onBackendError", l -> l.onBackendError(key, e));
      }
      if (policy == FailurePolicy.FAIL_CLOSED) {
        throw e;
      }
      fallbacks.increment();
      if (hasListener()) {
        Listeners.notify(listener(), "onFallback", l -> l.onFallback(key, policy));
      }
      if (policy == FailurePolicy.FAIL_OPEN) {
        long capacity = limit.limit().capacity();
        return new RateLimitDecision(true, RateLimitDecision.Reason.ALLOWED, capacity, 0, 0,
            RateLimitDecision.Source.FAIL_OPEN);
      }
      RateLimitDecision local = fallback.tryAcquire(key, permits, fallbackLimit(limit.limit()));
      return new RateLimitDecision(local.allowed(), local.reason(), local.remaining(), local.retryAfterMicros(),
          local.resetAfterMicros(), RateLimitDecision.Source.LOCAL_FALLBACK);
    }
  }

  private RateLimitDecision ask(String key, long permits, CompiledLimit limit) {
    Algorithm algorithm = limit.algorithm();
    byte[] redisKey = keys.keyBytes(key, parts[algorithm.ordinal()]);
    List<byte[]> bandwidths = limit.scriptArgs();
    List<byte[]> args = new ArrayList<>(bandwidths.size() + 3);
    args.add(timeSource == TimeSource.SERVER ? SERVER_TIME : ascii(time.now()));
    args.add(ascii(permits));
    args.addAll(bandwidths);
    if (algorithm == Algorithm.SLIDING_LOG) {
      args.add(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
          .getBytes(StandardCharsets.US_ASCII));
    }
    Object reply = redis.eval(SCRIPTS.get(algorithm), List.of(redisKey), args);
    if (!(reply instanceof List<?> fields) || fields.size() != 4) {
      throw new DistkitException("Script " + algorithm.id() + " answered " + reply + "; expected 4 integers");
    }
    int reason = ((Long) fields.get(0)).intValue();
    return new RateLimitDecision(
        reason == 0,
        reason == 0 ? RateLimitDecision.Reason.ALLOWED
            : reason == 1 ? RateLimitDecision.Reason.RATE_LIMITED : RateLimitDecision.Reason.EXCEEDS_CAPACITY,
        (Long) fields.get(1),
        (Long) fields.get(2),
        (Long) fields.get(3),
        RateLimitDecision.Source.LIMITER);
  }

  private static byte[] ascii(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void reset(String key) {
    checkKey(key);
    fallback.reset(key);
    String[] all = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      all[i] = keys.key(key, parts[i]);
    }
    redis.execute(jedis -> jedis.del(all)); // one command: the keys share a hash tag
  }

  @Override
  public RateLimiterStats stats() {
    return new RateLimiterStats(allowedCount(), deniedCount(), backendErrors.sum(), fallbacks.sum(),
        fallback.stats().keys());
  }

  /**
   * The guard that remembers outages of this limiter's Redis.
   *
   * @return the guard
   */
  public BackendGuard guard() {
    return redis.guard();
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + parts[0].substring(0, parts[0].lastIndexOf(':')) + ", " + policy + ", "
        + redis.guard().state() + "]";
  }

  /** Configures a {@link RedisRateLimiter}. Not thread-safe; build once. */
  public static final class Builder extends RateLimiterBuilder<Builder> {
    private final RedisBackend backend;
    private String name = DEFAULT_NAME;
    private String prefix = RedisKeys.DEFAULT_PREFIX;
    private TimeSource timeSource = TimeSource.SERVER;
    private FailurePolicy policy = FailurePolicy.FAIL_CLOSED;
    private double fallbackShare = 1.0;

    private Builder(RedisBackend backend) {
      this.backend = backend;
    }

    private RedisBackend backend() {
      return backend;
    }

    /**
     * The limiter's name: limiters with the same name (and prefix) on the same Redis share state, whatever
     * JVM they run in; different names never do.
     *
     * @param name 1 to 64 characters among letters, digits, {@code _}, {@code -} and {@code .}; default
     *     {@value #DEFAULT_NAME}
     * @return this builder
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException("name ('" + name + "') must be 1 to 64 letters, digits, '_', '-' or '.'");
      }
      this.name = name;
      return this;
    }

    /**
     * The prefix of every key, e.g. one per application sharing a Redis.
     *
     * @param prefix see {@link RedisKeys#of(String, String)}; default {@value RedisKeys#DEFAULT_PREFIX}
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      RedisKeys.of(prefix, "ratelimit"); // validates
      this.prefix = prefix;
      return this;
    }

    /**
     * Whose clock the scripts use.
     *
     * @param timeSource default {@link TimeSource#SERVER}
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
      return this;
    }

    /**
     * What decisions are while Redis is unavailable.
     *
     * @param policy default {@link FailurePolicy#FAIL_CLOSED}
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * The share of each limit that this JVM's local fallback enforces while Redis is unavailable
     * ({@link FailurePolicy#FALLBACK_TO_LOCAL}). With {@code n} JVMs, {@code 1.0 / n} keeps the fleet near its
     * limit; 1.0 lets each JVM use the whole limit. Limits and bursts are rounded up, to at least 1.
     *
     * @param share in (0, 1]; default 1.0
     * @return this builder
     */
    public Builder fallbackShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("fallbackShare (" + share + ") must be in (0, 1]");
      }
      this.fallbackShare = share;
      return this;
    }

    @Override
    public RedisRateLimiter build() {
      return new RedisRateLimiter(settings(), this);
    }
  }
}
