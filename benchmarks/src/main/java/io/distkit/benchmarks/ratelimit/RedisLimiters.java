package io.distkit.benchmarks.ratelimit;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;

/**
 * The Redis-backed limiters under test and the raw round-trip baseline, each configured for the same limit
 * ({@code rate} permits per second, bursts of {@code rate}) on the same Redis. distkit, Bucket4j and the
 * baseline share the trial's pooled Jedis client; Redisson brings its own Netty client, with its defaults.
 */
public final class RedisLimiters {

  /** distkit's Redis token bucket: one {@code EVALSHA} per decision, Redis server time. */
  public static final String DISTKIT_TOKEN_BUCKET = "distkit-token-bucket";

  /** distkit's Redis GCRA. */
  public static final String DISTKIT_GCRA = "distkit-gcra";

  /** The floor: {@code EVALSHA} of {@value #RAW_SCRIPT}, sent straight through Jedis. */
  public static final String RAW_EVALSHA = "raw-evalsha";

  /** Bucket4j's Jedis proxy manager (compare-and-swap: {@code GET}, then {@code EVAL} of a CAS script). */
  public static final String BUCKET4J_JEDIS = "bucket4j-jedis";

  /** Redisson's {@code RRateLimiter} ({@code OVERALL}). */
  public static final String REDISSON = "redisson";

  /** The one-line script of the baseline: the least a limiter could do in one round trip, touch its key. */
  public static final String RAW_SCRIPT = "return redis.call('INCR', KEYS[1])";

  private RedisLimiters() {}

  /**
   * A limiter of the given keys.
   *
   * @param implementation one of the constants of this class
   * @param redis the trial's Redis
   * @param keys the keys, addressed by index
   * @param rate permits per second per key, also the burst
   * @return the limiter; close it before the Redis
   */
  public static KeyedLimiter create(String implementation, BenchmarkRedis redis, String[] keys, long rate) {
    RedisClient jedis = redis.client();
    switch (implementation) {
      case DISTKIT_TOKEN_BUCKET, DISTKIT_GCRA -> {
        Algorithm algorithm = implementation.equals(DISTKIT_GCRA) ? Algorithm.GCRA : Algorithm.TOKEN_BUCKET;
        RateLimiter limiter = RedisRateLimiter.builder(jedis)
            .name("bench")
            .limit(RateLimit.of(algorithm, Bandwidth.perSecond(rate)))
            .build();
        return key -> limiter.tryConsume(keys[key], 1);
      }
      case RAW_EVALSHA -> {
        byte[] sha = jedis.scriptLoad(RAW_SCRIPT).getBytes(StandardCharsets.US_ASCII);
        byte[][][] params = new byte[keys.length][][];
        for (int i = 0; i < keys.length; i++) {
          params[i] = new byte[][] {keys[i].getBytes(StandardCharsets.UTF_8)};
        }
        return key -> jedis.evalsha(sha, 1, params[key]) != null;
      }
      case BUCKET4J_JEDIS -> {
        JedisBasedProxyManager<String> buckets = Bucket4jJedis.casBasedBuilder(jedis)
            .keyMapper(Mapper.STRING)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(1)))
            .build();
        BucketConfiguration configuration = BucketConfiguration.builder()
            .addLimit(LocalLimiters.bucket4jBandwidth(rate))
            .build();
        Supplier<BucketConfiguration> configurationSupplier = () -> configuration;
        // a proxy per call, as Bucket4j's documentation shows (building one sends nothing to Redis)
        return key -> buckets.builder().build(keys[key], configurationSupplier).tryConsume(1);
      }
      case REDISSON -> {
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri().toString());
        RedissonClient redisson = Redisson.create(config);
        RRateLimiter[] limiters = new RRateLimiter[keys.length];
        for (int i = 0; i < keys.length; i++) {
          // Redisson refuses a limiter whose rate was never set: that is one command per key, made here
          limiters[i] = redisson.getRateLimiter(keys[i]);
          limiters[i].trySetRate(RateType.OVERALL, rate, Duration.ofSeconds(1));
        }
        return new KeyedLimiter() {
          @Override
          public boolean tryAcquire(int key) {
            return limiters[key].tryAcquire();
          }

          @Override
          public void close() {
            redisson.shutdown();
          }
        };
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a Redis "
          + "limiter");
    }
  }
}
