package io.distkit.locks.redis;

import io.distkit.core.testing.RedisServers;
import redis.clients.jedis.UnifiedJedis;

class RedisLockKindsClusterTest extends RedisLockKindsContractTest {

  @Override
  UnifiedJedis newClient() {
    return RedisServers.cluster().newClient();
  }
}
