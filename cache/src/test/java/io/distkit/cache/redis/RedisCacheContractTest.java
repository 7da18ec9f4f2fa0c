package io.distkit.cache.redis;

import static org.awaitility.Awaitility.await;

import io.distkit.cache.CacheBuilder;
import io.distkit.cache.CacheContractTest;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.TimeSource;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/** The cache contract on Redis: one client per cache; entries' times to live pass on the server's clock. */
abstract class RedisCacheContractTest extends CacheContractTest {

  /** A new client of this deployment, as a separate JVM would have. */
  abstract UnifiedJedis newClient();

  @Override
  protected CacheBuilder<String, String, ?> newBuilder(String name) {
    return RedisCache.<String, String>builder(name, RedisBackend.create(closeAfter(newClient())),
        Codec.utf8().versioned(1)).timeSource(TimeSource.CLIENT).scheduler(scheduler);
  }

  /** The server expires entries by its own clock: real time passes (through Awaitility, never a bare sleep). */
  @Override
  protected void passTime(Duration duration) {
    super.passTime(duration);
    await().pollDelay(duration).atMost(duration.plusSeconds(5)).until(() -> true);
  }
}
