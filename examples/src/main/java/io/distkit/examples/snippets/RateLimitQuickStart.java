package io.distkit.examples.snippets;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;

class RateLimitQuickStart {
  public static void main(String[] args) {
    // at most 5 requests per second for each key, in this JVM
    RateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 5, Duration.ofSeconds(1)))
        .build();

    for (int request = 1; request <= 7; request++) {
      RateLimitDecision decision = limiter.tryAcquire("user-42");
      if (decision.allowed()) {
        System.out.println(request + ": allowed, " + decision.remaining() + " left");
      } else {
        System.out.println(request + ": 429 Too Many Requests, Retry-After: " + decision.retryAfterSeconds());
      }
    }
  }
}
