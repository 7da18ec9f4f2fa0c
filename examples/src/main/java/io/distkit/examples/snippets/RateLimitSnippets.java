package io.distkit.examples.snippets;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.BoundRateLimiter;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.time.Duration;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The snippets of ratelimit/README.md (imports are the ones above). */
final class RateLimitSnippets {

  private RateLimitSnippets() {}

  static void manyKeys() {
    // region many-keys
    RateLimit limit = RateLimit.of(Algorithm.GCRA, 100, Duration.ofMinutes(1));
    UnifiedJedis jedis = RedisClient.create("localhost", 6379);

    RateLimiter local = LocalRateLimiter.builder().limit(limit).build();                 // in this JVM
    RateLimiter shared = RedisRateLimiter.builder(jedis).name("api").limit(limit).build(); // fleet-wide

    RateLimitDecision d = shared.tryAcquire("user-42");
    if (!d.allowed()) {
      System.out.println("429 Too Many Requests, Retry-After: " + d.retryAfterSeconds());
    }
    // endregion
    local.tryAcquire("user-42");
    jedis.close();
  }

  static void oneHotKey() {
    // region hot-key
    RateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.TOKEN_BUCKET, Bandwidth.perSecond(50).withBurst(100)))
        .build();
    BoundRateLimiter partnerApi = limiter.forKey("partner-api"); // keep it in a field

    if (partnerApi.tryConsume(1)) {
      System.out.println("call the partner");
    }
    // endregion
  }

  static void bandwidthsAndTiers() {
    // region bandwidths-and-tiers
    RateLimit api = RateLimit.builder(Algorithm.TOKEN_BUCKET)
        .bandwidth(Bandwidth.perSecond(10).withBurst(20))   // bursts of 20, 10/s sustained
        .bandwidth(Bandwidth.perHour(1_000))
        .build();
    RateLimit free = RateLimit.of(Algorithm.GCRA, 10, Duration.ofMinutes(1));
    RateLimit pro = RateLimit.of(Algorithm.GCRA, 1_000, Duration.ofMinutes(1));
    RateLimiter tiers = LocalRateLimiter.builder()
        .limits(key -> key.startsWith("pro:") ? pro : free) // per-key limits, one limiter
        .build();
    tiers.tryAcquire("free:42", 1, api);                    // or a limit per call
    // endregion
  }
}
