package io.distkit.cache.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisNearCacheClusterTest extends RedisNearCacheContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.cluster().newClient();
  }
}
