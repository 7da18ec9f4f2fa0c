package io.distkit.ratelimit;

import io.distkit.core.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

class RedisRateLimiterStandaloneTest extends RedisRateLimiterContractTest {

  private static final RedisClient CLIENT = RedisServers.standalone().newClient();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  @Override
  UnifiedJedis client() {
    return CLIENT;
  }
}
