package io.distkit.ratelimit;

import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.util.function.UnaryOperator;
import redis.clients.jedis.UnifiedJedis;

/** The contract on Redis, with client time so the test's manual clock drives the scripts. */
abstract class RedisRateLimiterContractTest extends RateLimiterContractTest {

  /** The deployment's shared client. */
  abstract UnifiedJedis client();

  @Override
  RateLimiter limiter(UnaryOperator<RateLimiterBuilder<?>> config) {
    RedisRateLimiter.Builder builder = RedisRateLimiter.builder(client())
        .name(TestKeys.unique("contract"))
        .timeSource(TimeSource.CLIENT)
        .clock(clock)
        .sleeper(sleeper);
    config.apply(builder);
    return builder.build();
  }
}
