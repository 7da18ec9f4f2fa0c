package io.distkit.pool.fleet;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisServers;
import io.distkit.locks.LockService;
import io.distkit.locks.redis.RedisLockService;

/** The fleet cap on Redis Cluster: each "JVM" has its own client and lock service. */
class RedisFleetCapClusterTest extends FleetCapContractTest {

  @Override
  protected LockService newLockService() {
    return RedisLockService.builder(RedisBackend.create(closeAfter(RedisServers.cluster().newClient()))).build();
  }
}
