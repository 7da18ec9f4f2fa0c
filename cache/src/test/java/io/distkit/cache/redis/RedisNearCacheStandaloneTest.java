package io.distkit.cache.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisNearCacheStandaloneTest extends RedisNearCacheContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.standalone().newClient();
  }
}
