package io.distkit.ratelimit;

import io.distkit.core.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

class RedisRateLimiterClusterTest extends RedisRateLimiterContractTest {

  private static final RedisClusterClient CLIENT = RedisServers.cluster().newClient();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  @Override
  UnifiedJedis client() {
    return CLIENT;
  }
}
