package io.distkit.ratelimit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.internal.Listeners;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.LuaPrelude;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisScript;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.FailurePolicyHandler;
import io.distkit.core.session.PolicySupport;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.RateLimiterStats;
import io.distkit.ratelimit.internal.AbstractRateLimiter;
import io.distkit.ratelimit.internal.CompiledLimit;
import io.distkit.ratelimit.internal.LimiterSettings;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** The Redis limiter; see {@link RedisRateLimiter} for what it promises. */
final class RedisLimiter extends AbstractRateLimiter {

  /**
   * Every policy means something for a limiter: fail closed throws, fail open admits (availability over the
   * limit), the local fallback enforces a share of the limit in each JVM.
   */
  static final PolicySupport POLICIES = PolicySupport.of("rate limiter")
      .supports(FailurePolicy.FAIL_CLOSED, FailurePolicy.FAIL_OPEN, FailurePolicy.FALLBACK_TO_LOCAL);

  /** Core's time in Lua: {@code distkit_now_us} reads the time argument, {@code distkit_not_before}. */
  private static final List<LuaPrelude> TIME = List.of(LuaPrelude.TIME);

  /** One script per algorithm, for any number of bandwidths. */
  private static final Map<Algorithm, RedisScript> SCRIPTS = new EnumMap<>(Algorithm.class);

  static {
    for (Algorithm algorithm : Algorithm.values()) {
      SCRIPTS.put(algorithm, algorithm.supportsBurst()
          ? RedisScript.fromResources(TIME, RedisLimiter.class, "prelude.lua", "deficit.lua", algorithm.id() + ".lua")
          : RedisScript.fromResources(TIME, RedisLimiter.class, "prelude.lua", algorithm.id() + ".lua"));
    }
  }

  /** The short script for a token bucket or GCRA of one bandwidth: the same value, half the Redis time. */
  private static final RedisScript ONE_BANDWIDTH = RedisScript.fromResources(TIME, RedisLimiter.class,
      "one_bandwidth.lua");

  private static final byte[][] SMALL = new byte[16][];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = ascii(Integer.toString(i));
    }
  }

  private final RedisBackend redis;
  private final RedisKeys keys;
  private final String name;
  private final String[] parts;
  private final RedisTime time;
  private final FailurePolicyHandler policy;
  private final double fallbackShare;
  private final RateLimiter fallback;
  private final Cache<RateLimit, RateLimit> fallbackLimits = Caffeine.newBuilder()
      .weakKeys()
      .executor(Runnable::run)
      .build();

  RedisLimiter(LimiterSettings settings, RedisBackend redis, RedisKeys keys, String name, TimeSource timeSource,
      FailurePolicyHandler policy, double fallbackShare) {
    super(settings, true); // keyOf checks every key it encodes: one pass over the key, not two
    this.redis = redis;
    this.keys = keys;
    this.name = name;
    this.parts = new String[Algorithm.values().length];
    for (Algorithm algorithm : Algorithm.values()) {
      parts[algorithm.ordinal()] = name + ":" + keySuffix(algorithm);
    }
    this.time = RedisTime.of(timeSource, settings.clock());
    this.policy = policy;
    this.fallbackShare = fallbackShare;
    this.fallback = LocalRateLimiter.builder()
        .limits(key -> fallbackLimit(settings.resolver().limitFor(key)))
        .clock(settings.clock())
        .sleeper(settings.sleeper())
        .scheduler(settings.scheduler())
        .build();
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

  /** The key's Redis key for an algorithm; checks the key on the way (the same rule as {@link #checkKey}). */
  private byte[] keyOf(String key, Algorithm algorithm) {
    try {
      return keys.keyBytes(key, parts[algorithm.ordinal()]);
    } catch (IllegalArgumentException e) {
      checkKey(key); // the same rule, with the message naming the argument as the caller knows it
      throw e;
    }
  }

  @Override
  protected RateLimitDecision decide(String key, long permits, CompiledLimit limit) {
    return decide(key, keyOf(key, limit.algorithm()), permits, limit);
  }

  @Override
  protected boolean consume(String key, long permits, CompiledLimit limit) {
    return consume(key, keyOf(key, limit.algorithm()), permits, limit);
  }

  private RateLimitDecision decide(String key, byte[] redisKey, long permits, CompiledLimit limit) {
    try {
      return toDecision(ask(redisKey, permits, limit, true), limit);
    } catch (BackendUnavailableException e) {
      return unavailable(key, permits, limit, e);
    }
  }

  private boolean consume(String key, byte[] redisKey, long permits, CompiledLimit limit) {
    try {
      Object reply = ask(redisKey, permits, limit, false);
      return (reply instanceof Long reason ? reason : reason(reply, limit)) == 0;
    } catch (BackendUnavailableException e) {
      return unavailable(key, permits, limit, e).allowed();
    }
  }

  /**
   * What the failure policy makes of a decision Redis could not make: core's handler counts it and tells the
   * backend listener (no user key); this limiter's listener hears the same with the key.
   */
  private RateLimitDecision unavailable(String key, long permits, CompiledLimit limit,
      BackendUnavailableException e) {
    if (hasListener()) {
      Listeners.notify(listener(), "onBackendError", l -> l.onBackendError(key, e));
    }
    RateLimitDecision decision = policy.onUnavailable(e, () -> failOpen(limit),
        () -> localFallback(key, permits, limit));
    if (hasListener()) {
      Listeners.notify(listener(), "onFallback", l -> l.onFallback(key, policy.policy()));
    }
    return decision;
  }

  private static RateLimitDecision failOpen(CompiledLimit limit) {
    return new RateLimitDecision(true, RateLimitDecision.Reason.ALLOWED, limit.limit().capacity(), 0, 0,
        RateLimitDecision.Source.FAIL_OPEN);
  }

  private RateLimitDecision localFallback(String key, long permits, CompiledLimit limit) {
    RateLimitDecision local = fallback.tryAcquire(key, permits, fallbackLimit(limit.limit()));
    return new RateLimitDecision(local.allowed(), local.reason(), local.remaining(), local.retryAfterMicros(),
        local.resetAfterMicros(), RateLimitDecision.Source.LOCAL_FALLBACK);
  }

  /**
   * One {@code EVALSHA}: the one-bandwidth script for a single-bandwidth token bucket or GCRA, else the
   * algorithm's script. Replies the reason alone, or (with {@code full}, and always from the general scripts)
   * {@code [reason, remaining, retry after, reset after]}.
   */
  private Object ask(byte[] redisKey, long permits, CompiledLimit limit, boolean full) {
    Algorithm algorithm = limit.algorithm();
    byte[] now = time.argument();
    byte[] one = limit.oneBandwidthArg(full);
    if (one != null) {
      return redis.eval(ONE_BANDWIDTH, List.of(redisKey), List.of(now, number(permits), one));
    }
    List<byte[]> bandwidths = limit.scriptArgs();
    List<byte[]> args = new ArrayList<>(bandwidths.size() + 3);
    args.add(now);
    args.add(number(permits));
    args.addAll(bandwidths);
    if (algorithm == Algorithm.SLIDING_LOG) {
      args.add(ascii(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())));
    }
    return redis.eval(SCRIPTS.get(algorithm), List.of(redisKey), args);
  }

  private static long reason(Object reply, CompiledLimit limit) {
    return fields(reply, limit).get(0) instanceof Long reason ? reason : -1;
  }

  private static List<?> fields(Object reply, CompiledLimit limit) {
    if (!(reply instanceof List<?> fields) || fields.size() != 4 || !(fields.get(0) instanceof Long)) {
      throw new DistkitException("The rate limit script for " + limit.algorithm().id() + " answered " + reply
          + "; expected 4 integers");
    }
    return fields;
  }

  private static RateLimitDecision toDecision(Object reply, CompiledLimit limit) {
    List<?> fields = fields(reply, limit);
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

  private static byte[] number(long value) {
    return value >= 0 && value < SMALL.length ? SMALL[(int) value] : ascii(Long.toString(value));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  protected Binding bind(String key) {
    return new KeyBinding(key);
  }

  /** A handle's hold on its key: the key's Redis keys, encoded once per algorithm used. */
  private final class KeyBinding extends Binding {
    private final String key;
    private final byte[] @Nullable [] redisKeys = new byte[Algorithm.values().length][];

    KeyBinding(String key) {
      this.key = key;
    }

    private byte[] redisKey(Algorithm algorithm) {
      byte[] encoded = redisKeys[algorithm.ordinal()];
      if (encoded == null) {
        encoded = keyOf(key, algorithm);
        redisKeys[algorithm.ordinal()] = encoded; // racy but idempotent: every thread computes the same bytes
      }
      return encoded;
    }

    @Override
    protected RateLimitDecision decide(long permits, CompiledLimit limit) {
      return RedisLimiter.this.decide(key, redisKey(limit.algorithm()), permits, limit);
    }

    @Override
    protected boolean consume(long permits, CompiledLimit limit) {
      return RedisLimiter.this.consume(key, redisKey(limit.algorithm()), permits, limit);
    }
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
    FailurePolicyHandler.Stats outages = policy.stats();
    return new RateLimiterStats(allowedCount(), deniedCount(), outages.backendErrors(), outages.fallbacks(),
        fallback.stats().keys());
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + name + ", " + policy.policy() + ", " + redis.guard().state() + "]";
  }
}
