package io.distkit.hashing.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisMembershipStandaloneTest extends RedisMembershipContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.standalone().newClient();
  }
}
