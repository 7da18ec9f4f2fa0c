package io.distkit.ratelimit.redis;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendListener;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.redis.JedisRequirement;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.FailurePolicyHandler;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterBuilder;
import io.distkit.ratelimit.RateLimiterListener;
import io.distkit.ratelimit.internal.LimiterSettings;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds rate limiters whose state lives in Redis, shared by every JVM that uses the same Redis and limiter
 * name: the entry point of the Redis implementation of {@link RateLimiter}.
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
 * anchored to wall time at construction: core's {@link io.distkit.core.redis.RedisTime}, the one meaning of client
 * time in distkit), which is how tests drive Redis with a manual clock. Either way a key's time never goes
 * backwards (core's {@link io.distkit.core.redis.LuaPrelude#TIME} prelude).
 *
 * <p><b>Keys.</b> One key per user key and algorithm, {@code <prefix>:ratelimit:{<key>}:<name>:<algorithm>}
 * (algorithm {@code tb}, {@code gcra}, {@code fw}, {@code log} or {@code swc}): a string for token bucket, GCRA,
 * fixed window and sliding window counter (a format version byte, 1, then three or four little-endian doubles
 * per bandwidth), a sorted set with one member per admitted permit for the sliding log. Every key expires
 * exactly when its state would be fresh again. A value that is not one this limiter wrote (another format
 * version, another shape, garbage) counts as absent and is overwritten by the next grant; a key of another Redis
 * type is an error naming the key. Works on Redis Cluster: all keys of one user key share a hash tag. A token
 * bucket or GCRA of one bandwidth runs a short script of its own, about half the Redis time of the general one.
 *
 * <p><b>Redis down.</b> A pooled connection found closed (an idle timeout, {@code CLIENT KILL}) is replaced and
 * the call retried once before anything counts as an outage. Decisions go through a {@link BackendGuard}: after
 * the first failure (one client timeout at most), decisions skip Redis for the guard's retry interval and a
 * single probe checks whether it is back, so an outage costs microseconds per decision. What the decision is
 * then depends on the {@link FailurePolicy}, applied by core's {@link FailurePolicyHandler} as in every distkit
 * primitive: {@code FAIL_CLOSED} throws {@link BackendUnavailableException} (the default), {@code FAIL_OPEN}
 * allows everything, {@code FALLBACK_TO_LOCAL} asks a {@link LocalRateLimiter} in this JVM holding
 * {@linkplain Builder#fallbackShare(double) a share} of each limit. Each such decision is counted in
 * {@link RateLimiter#stats()} and told to the {@linkplain Builder#backendListener(BackendListener) backend
 * listener} (without the key) and to the {@link RateLimiterListener} (with it). Recovery is automatic. State
 * built up locally during the outage is not merged back into Redis. During a Redis Cluster or Sentinel failover
 * the same happens until the client finds the new master (see the module README for measured failovers).
 *
 * <p>The limiters built are thread-safe. The Jedis client stays the caller's: distkit never closes it, and using
 * a limiter after closing its client throws a {@link io.distkit.core.DistkitException} saying so.
 */
public final class RedisRateLimiter {

  /** The default limiter name. */
  public static final String DEFAULT_NAME = "default";

  private RedisRateLimiter() {}

  /**
   * Starts configuring a limiter on the caller's Redis client.
   *
   * @param jedis a {@code RedisClient}, {@code RedisClusterClient} or sentinel client; never closed by
   *     distkit
   * @return a builder
   * @throws io.distkit.core.DistkitException when Jedis is missing from the class path or older than 8.0,
   *     saying which dependency to add
   */
  public static Builder builder(UnifiedJedis jedis) {
    JedisRequirement.check(); // before anything that needs Jedis' classes: a clear message when it is missing
    return new Builder(Objects.requireNonNull(jedis, "jedis"), null);
  }

  /**
   * Starts configuring a limiter on a backend shared with other primitives, so they share one
   * {@link BackendGuard}: an outage seen by one is known to all.
   *
   * @param backend the shared backend
   * @return a builder
   */
  public static Builder builder(RedisBackend backend) {
    return new Builder(null, Objects.requireNonNull(backend, "backend"));
  }

  /** Configures a Redis {@link RateLimiter}. Not thread-safe; build once. */
  public static final class Builder extends RateLimiterBuilder<Builder> {
    private final @Nullable UnifiedJedis jedis;
    private final @Nullable RedisBackend backend;
    private String name = DEFAULT_NAME;
    private String prefix = RedisKeys.DEFAULT_PREFIX;
    private TimeSource timeSource = TimeSource.SERVER;
    private FailurePolicy policy = FailurePolicy.FAIL_CLOSED;
    private double fallbackShare = 1.0;
    private BackendListener backendListener = BackendListener.noop();

    private Builder(@Nullable UnifiedJedis jedis, @Nullable RedisBackend backend) {
      this.jedis = jedis;
      this.backend = backend;
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
     * What decisions are while Redis is unavailable. A limiter supports all three policies; core's
     * {@link FailurePolicyHandler} applies them, with the same counting and {@link BackendListener} events as
     * every distkit primitive.
     *
     * @param policy default {@link FailurePolicy#FAIL_CLOSED}
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy policy) {
      this.policy = RedisLimiter.POLICIES.check(policy);
      return this;
    }

    /**
     * Hears this limiter's backend events, named {@code "ratelimit:<name>"} and carrying no user key (so they fit
     * metric tags): {@link BackendListener#onError} for each decision Redis could not make and
     * {@link BackendListener#onFallback} for each the failure policy made instead. When the limiter was built
     * from a {@link UnifiedJedis}, its own guard also reports {@link BackendListener#onOutage} and
     * {@link BackendListener#onRecovery} here (a {@link RedisBackend} shared through
     * {@link RedisRateLimiter#builder(RedisBackend)} reports them to its guard's listener). The per-key
     * {@link RateLimiterListener#onBackendError} and {@link RateLimiterListener#onFallback} are called as well.
     *
     * @param listener default {@link BackendListener#noop()}
     * @return this builder
     */
    public Builder backendListener(BackendListener listener) {
      this.backendListener = Objects.requireNonNull(listener, "listener");
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
    public RateLimiter build() {
      LimiterSettings settings = LimiterSettings.of(limit(), limits(), clock(), sleeper(), scheduler(), listener());
      RedisBackend redis = backend;
      if (redis == null) {
        redis = RedisBackend.create(Objects.requireNonNull(jedis),
            BackendGuard.builder().listener(backendListener).build());
      }
      FailurePolicyHandler handler = FailurePolicyHandler.builder("ratelimit:" + name, RedisLimiter.POLICIES, policy)
          .listener(backendListener)
          .build();
      return new RedisLimiter(settings, redis, RedisKeys.of(prefix, "ratelimit"), name, timeSource, handler,
          fallbackShare);
    }
  }
}
