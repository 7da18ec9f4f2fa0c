/**
 * distkit-cache: one {@link io.distkit.cache.Cache} interface, in this JVM on Caffeine
 * ({@code io.distkit.cache.local}) or in Redis ({@code io.distkit.cache.redis}).
 *
 * <p>Jedis is optional ({@code requires static}): only the Redis cache needs it.
 */
@SuppressWarnings({
    "exports", // Jedis types reach the API only through io.distkit.core's RedisBackend
    "requires-automatic" // Jedis 8 is an automatic module (Automatic-Module-Name redis.clients.jedis)
})
module io.distkit.cache {
  requires transitive io.distkit.core;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static redis.clients.jedis;

  exports io.distkit.cache;
  exports io.distkit.cache.local;
  exports io.distkit.cache.redis;
}
