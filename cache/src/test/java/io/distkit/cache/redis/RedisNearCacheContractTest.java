package io.distkit.cache.redis;

import static org.awaitility.Awaitility.await;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheBuilder;
import java.time.Duration;

/** The cache contract on Redis with a near cache in front: every promise holds with copies in the JVM. */
abstract class RedisNearCacheContractTest extends RedisCacheContractTest {

  @Override
  protected CacheBuilder<String, String, ?> newBuilder(String name) {
    return ((RedisCache.Builder<String, String>) super.newBuilder(name)).near(1_000, Duration.ofMinutes(1));
  }

  @Override
  protected Cache<String, String> open(CacheBuilder<String, String, ?> builder) {
    Cache<String, String> cache = super.open(builder);
    await().atMost(Duration.ofSeconds(10)).until(((NearCache<?, ?>) cache)::listening);
    return cache;
  }
}
