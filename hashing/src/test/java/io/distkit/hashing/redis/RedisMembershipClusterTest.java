package io.distkit.hashing.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisMembershipClusterTest extends RedisMembershipContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.cluster().newClient();
  }
}
