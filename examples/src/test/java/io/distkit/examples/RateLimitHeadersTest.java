package io.distkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.testing.ManualClock;
import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  private final ManualClock clock = new ManualClock();
  private final RateLimit limit = RateLimit.of(Algorithm.TOKEN_BUCKET, 2, Duration.ofSeconds(3));
  private final RateLimiter limiter = LocalRateLimiter.builder().limit(limit).clock(clock).build();

  @Test
  void anAllowedRequestGets200AndTheRemainingBudget() {
    RateLimitHeaders h = RateLimitHeaders.of(limiter.tryAcquire("c"), limit);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.headers()).containsEntry("RateLimit-Limit", "2").containsEntry("RateLimit-Remaining", "1")
        .containsEntry("RateLimit-Reset", "2").doesNotContainKey("Retry-After");
  }

  @Test
  void aDeniedRequestGets429WithARetryAfterThatIsNeverEarly() {
    limiter.tryAcquire("c", 2);
    clock.advance(Duration.ofMillis(100));
    RateLimitHeaders h = RateLimitHeaders.of(limiter.tryAcquire("c"), limit);
    assertThat(h.status()).isEqualTo(429);
    // 1.4 s to the next token: rounded up to 2 s, never down to 1
    assertThat(h.headers()).containsEntry("Retry-After", "2").containsEntry("RateLimit-Remaining", "0");
  }

  @Test
  void aRequestNoLimitCanEverGrantGets413WithoutRetryAfter() {
    RateLimitHeaders h = RateLimitHeaders.of(limiter.tryAcquire("c", 3), limit);
    assertThat(h.status()).isEqualTo(413);
    assertThat(h.headers()).doesNotContainKey("Retry-After");
  }
}
