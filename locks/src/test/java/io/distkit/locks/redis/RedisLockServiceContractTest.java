package io.distkit.locks.redis;

import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import io.distkit.locks.LockService;
import io.distkit.locks.LockServiceBuilder;
import io.distkit.locks.LockServiceContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import redis.clients.jedis.UnifiedJedis;

/** The lock contract on Redis, leases and tokens on the test's manual clock; one client per service. */
abstract class RedisLockServiceContractTest extends LockServiceContractTest {

  private final List<UnifiedJedis> clients = new ArrayList<>();

  /** A new client of this deployment, as a separate JVM would have. */
  abstract UnifiedJedis newClient();

  @AfterEach
  void closeClients() {
    clients.forEach(UnifiedJedis::close);
  }

  @Override
  protected LockServiceBuilder<?> newBuilder() {
    UnifiedJedis client = newClient();
    clients.add(client);
    return RedisLockService.builder(RedisBackend.create(client)).timeSource(TimeSource.CLIENT)
        .leaseCheckInterval(Duration.ofMillis(100));
  }

  @Override
  protected void ready(LockService service) {
    await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) service)::listening);
  }
}
