package io.distkit.ratelimit;

import io.distkit.ratelimit.local.LocalRateLimiter;
import java.util.function.UnaryOperator;

class LocalRateLimiterTest extends RateLimiterContractTest {

  @Override
  RateLimiter limiter(UnaryOperator<RateLimiterBuilder<?>> config) {
    LocalRateLimiter.Builder builder = LocalRateLimiter.builder().clock(clock).sleeper(sleeper);
    config.apply(builder);
    return builder.build();
  }
}
