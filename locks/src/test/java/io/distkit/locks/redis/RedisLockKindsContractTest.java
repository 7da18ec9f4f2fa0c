package io.distkit.locks.redis;

import io.distkit.locks.LockKindsContractTest;
import io.distkit.locks.LockService;
import io.distkit.locks.LockServiceBuilder;
import redis.clients.jedis.UnifiedJedis;

/** The semaphore, read-write lock and election contract on Redis, on the test's manual clock. */
abstract class RedisLockKindsContractTest extends LockKindsContractTest {

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
