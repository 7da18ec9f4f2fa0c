package io.distkit.ratelimit;

import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.ratelimit.redis.RedisRateLimiter;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClient;

class RedisRateLimiterStandaloneTest extends RateLimiterContractTest {

  private static final RedisClient CLIENT = RedisServers.standalone().newClient();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  @Override
  RateLimiter limiter(UnaryOperator<RateLimiterBuilder<?>> config) {
    RedisRateLimiter.Builder builder = RedisRateLimiter.builder(CLIENT)
        .name(TestKeys.unique("contract"))
        .timeSource(TimeSource.CLIENT)
        .clock(clock)
        .sleeper(sleeper);
    config.apply(builder);
    return builder.build();
  }
}
