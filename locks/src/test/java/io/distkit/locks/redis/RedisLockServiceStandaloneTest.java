package io.distkit.locks.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisLockServiceStandaloneTest extends RedisLockServiceContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.standalone().newClient();
  }
}
