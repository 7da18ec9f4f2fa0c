package io.distkit.cache.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisCacheStandaloneTest extends RedisCacheContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.standalone().newClient();
  }
}
