package io.distkit.locks.redis;

import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import io.distkit.locks.LockService;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/** How the Redis services' contract tests build services: on the test's manual clock, one client per service. */
final class RedisLockTesting {

  private RedisLockTesting() {}

  /** A builder on {@code client}, leases and tokens on the builder's clock, renewals checked every 100 ms. */
  static RedisLockService.Builder builder(UnifiedJedis client) {
    return RedisLockService.builder(RedisBackend.create(client)).timeSource(TimeSource.CLIENT)
        .leaseCheckInterval(Duration.ofMillis(100));
  }

  /** Waits until the service's notification channel is subscribed, so that no hand-off goes unheard. */
  static void awaitListening(LockService service) {
    await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) service)::listening);
  }
}
