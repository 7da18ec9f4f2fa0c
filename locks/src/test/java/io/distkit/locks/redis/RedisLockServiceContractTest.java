package io.distkit.locks.redis;

import io.distkit.locks.LockService;
import io.distkit.locks.LockServiceBuilder;
import io.distkit.locks.LockServiceContractTest;
import redis.clients.jedis.UnifiedJedis;

/** The lock contract on Redis, leases and tokens on the test's manual clock; one client per service. */
abstract class RedisLockServiceContractTest extends LockServiceContractTest {

  /** A new client of this deployment, as a separate JVM would have. */
  abstract UnifiedJedis newClient();

  @Override
  protected LockServiceBuilder<?> newBuilder() {
    return RedisLockTesting.builder(closeAfter(newClient()));
  }

  @Override
  protected void ready(LockService service) {
    RedisLockTesting.awaitListening(service);
  }
}
