/**
 * distkit-hashing: five consistent-hashing locators behind one {@link io.distkit.hashing.NodeLocator}
 * interface, bounded loads and their analysis ({@code io.distkit.hashing}), group membership in this JVM
 * ({@code io.distkit.hashing.local}) or in Redis, and client-side sharding over several Redis servers
 * ({@code io.distkit.hashing.redis}).
 *
 * <p>Jedis is optional ({@code requires static}): only membership and the router in Redis need it, and an
 * application that uses them requires {@code redis.clients.jedis} itself.
 */
@SuppressWarnings({
    "exports", // Jedis types reach the API only through io.distkit.core's RedisBackend
    "requires-automatic" // Jedis 8 is an automatic module (Automatic-Module-Name redis.clients.jedis)
})
module io.distkit.hashing {
  requires transitive io.distkit.core;
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static redis.clients.jedis;

  exports io.distkit.hashing;
  exports io.distkit.hashing.local;
  exports io.distkit.hashing.redis;
  // core's script runner reads the .lua resources that sit beside the Redis membership and router
  opens io.distkit.hashing.redis to io.distkit.core;
}
