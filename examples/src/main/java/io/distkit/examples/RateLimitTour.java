package io.distkit.examples;

import static io.distkit.examples.TourSection.heading;

import io.distkit.core.FailurePolicy;
import io.distkit.core.redis.RedisBackend;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.Bandwidth;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.UUID;

/** The Tour's rate-limiting section: the five algorithms, tiers, HTTP headers, and the same code on Redis. */
final class RateLimitTour implements TourSection {

  static final RateLimit FREE = RateLimit.of(Algorithm.GCRA, 3, Duration.ofMinutes(1));
  static final RateLimit PRO = RateLimit.of(Algorithm.GCRA, 1_000, Duration.ofMinutes(1));

  @Override
  public void runLocal(PrintStream out) {
    heading(out, "ratelimit: five algorithms, 5 per second, 7 requests at once (local; Y = allowed, n = denied)");
    for (Algorithm algorithm : Algorithm.values()) {
      RateLimiter limiter = LocalRateLimiter.builder().limit(RateLimit.of(algorithm, 5, Duration.ofSeconds(1))).build();
      out.println(String.format("%-24s %s", algorithm, burst(limiter, "client-1")));
    }

    heading(out, "ratelimit: two bandwidths at once, 10 per second AND 20 per minute");
    RateLimit both = RateLimit.builder(Algorithm.TOKEN_BUCKET)
        .bandwidth(Bandwidth.perSecond(10))
        .bandwidth(Bandwidth.perMinute(20))
        .build();
    RateLimiter limiter = LocalRateLimiter.builder().limit(both).build();
    RateLimitDecision first = limiter.tryAcquire("batch", 8);
    RateLimitDecision second = limiter.tryAcquire("batch", 8);
    out.println("8 permits: " + describe(first));
    out.println("8 more:    " + describe(second) + "  (the per-second bandwidth denies; nothing is consumed)");

    heading(out, "ratelimit: tiers from one limiter, and the HTTP answer");
    RateLimiter tiers = LocalRateLimiter.builder().limits(key -> key.startsWith("pro:") ? PRO : FREE).build();
    for (String key : new String[] {"free:alice", "pro:bob"}) {
      RateLimitDecision d = null;
      for (int i = 0; i < 4; i++) {
        d = tiers.tryAcquire(key);
      }
      RateLimitHeaders http = RateLimitHeaders.of(d, tiers.limitFor(key));
      out.println(String.format("%-11s 4th request -> %d %s", key, http.status(), http.headers()));
    }
  }

  @Override
  public void runRedis(PrintStream out, RedisBackend redis, String where) {
    heading(out, "ratelimit: the same limits on Redis at " + where
        + " (one EVALSHA per decision, server time; Y = allowed, n = denied)");
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (Algorithm algorithm : Algorithm.values()) {
      RateLimiter limiter = RedisRateLimiter.builder(redis)
          .name("tour")
          .limit(RateLimit.of(algorithm, 5, Duration.ofSeconds(1)))
          .failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL)
          .build();
      out.println(String.format("%-24s %s", algorithm, burst(limiter, "client-" + run)));
    }
  }

  private static String burst(RateLimiter limiter, String key) {
    StringBuilder line = new StringBuilder();
    RateLimitDecision last = null;
    for (int i = 0; i < 7; i++) {
      last = limiter.tryAcquire(key);
      line.append(last.allowed() ? "Y" : "n");
    }
    return line + "  then retry after " + last.retryAfter().toMillis() + " ms";
  }

  private static String describe(RateLimitDecision d) {
    return (d.allowed() ? "allowed" : "denied ") + ", remaining " + d.remaining() + ", retry after "
        + d.retryAfter().toMillis() + " ms";
  }
}
