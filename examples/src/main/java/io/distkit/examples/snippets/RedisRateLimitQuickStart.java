package io.distkit.examples.snippets;

import io.distkit.core.FailurePolicy;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

class RedisRateLimitQuickStart {
  public static void main(String[] args) {
    HostAndPort redis = HostAndPort.from(args.length > 0 ? args[0] : "localhost:6379");
    // short timeouts: the first call against a Redis that does not answer fails after 250 ms, not Jedis'
    // default 2 s; distkit's guard then fails later calls at once until Redis is back
    DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(250)
        .socketTimeoutMillis(250)
        .build();
    try (RedisClient jedis = RedisClient.builder().hostAndPort(redis).clientConfig(config).build()) {
      // the same limit for every JVM that uses this Redis and this name
      RateLimiter limiter = RedisRateLimiter.builder(jedis)
          .name("api")
          .limit(RateLimit.of(Algorithm.GCRA, 5, Duration.ofSeconds(1)))
          .failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL) // if Redis is down, limit in this JVM meanwhile
          .build();

      RateLimitDecision decision = limiter.tryAcquire("user-42");
      System.out.println((decision.allowed() ? "allowed" : "denied") + ", " + decision.remaining() + " left"
          + " (decided by " + decision.source() + ")");
    }
  }
}
