package app;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import java.util.UUID;
import redis.clients.jedis.RedisClient;

public final class RedisMain {
  public static void main(String[] args) {
    try (RedisClient jedis = RedisClient.create(args[0])) {
      RateLimiter limiter = RedisRateLimiter.builder(jedis)
          .name("modular-" + UUID.randomUUID())
          .limit(RateLimit.of(Algorithm.GCRA, 2, Duration.ofMinutes(1)))
          .build();
      StringBuilder seen = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        seen.append(limiter.tryAcquire("user-42").allowed() ? 'Y' : 'n');
      }
      System.out.println("redis ratelimit " + seen + " from module " + RedisRateLimiter.class.getModule().getName());
    }
  }
}
