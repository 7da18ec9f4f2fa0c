package app;

import io.distkit.ratelimit.Algorithm;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;
import io.distkit.ratelimit.local.LocalRateLimiter;
import java.time.Duration;

public final class LocalMain {
  public static void main(String[] args) {
    RateLimiter limiter = LocalRateLimiter.builder()
        .limit(RateLimit.of(Algorithm.GCRA, 2, Duration.ofMinutes(1)))
        .build();
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      seen.append(limiter.tryAcquire("user-42").allowed() ? 'Y' : 'n');
    }
    System.out.println("ratelimit " + seen + " from module " + LocalRateLimiter.class.getModule().getName());
  }
}
