/**
 * distkit-ratelimit: token bucket, GCRA, fixed window, sliding log and sliding window counter behind one
 * {@link io.distkit.ratelimit.RateLimiter} interface, in this JVM ({@code io.distkit.ratelimit.local}) or
 * shared through Redis ({@code io.distkit.ratelimit.redis}).
 *
 * <p>Jedis is optional ({@code requires static}): only the Redis limiter needs it, and an application that
 * uses it requires {@code redis.clients.jedis} itself.
 */
@SuppressWarnings({
    "exports", // UnifiedJedis in RedisRateLimiter.builder: an app that passes one requires Jedis itself
    "requires-automatic" // Jedis 8 is an automatic module (Automatic-Module-Name redis.clients.jedis)
})
module io.distkit.ratelimit {
  requires transitive io.distkit.core;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;
  requires static redis.clients.jedis;

  exports io.distkit.ratelimit;
  exports io.distkit.ratelimit.local;
  exports io.distkit.ratelimit.redis;
  // core's script runner reads the .lua resources that sit beside RedisRateLimiter
  opens io.distkit.ratelimit.redis to io.distkit.core;
}
