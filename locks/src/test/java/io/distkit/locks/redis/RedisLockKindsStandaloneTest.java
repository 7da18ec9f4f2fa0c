package io.distkit.locks.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisLockKindsStandaloneTest extends RedisLockKindsContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.standalone().newClient();
  }
}
