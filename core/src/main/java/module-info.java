/**
 * distkit-core: the contracts every distkit primitive follows (clock, errors, failure policy, backend guard),
 * the Redis plumbing (scripts, keys, error mapping) and codecs.
 *
 * <p>Jedis is optional ({@code requires static}): a modular application that uses a Redis implementation
 * requires {@code redis.clients.jedis} itself, which it must do anyway to create the client it hands to
 * distkit. {@code io.distkit.core.internal} is shared with distkit's own modules only.
 */
@SuppressWarnings({
    "module", // the qualified export names distkit modules that a build of core alone does not see
    "exports", // UnifiedJedis in RedisBackend's signatures: an app that passes one requires Jedis itself
    "requires-automatic" // Jedis 8 is an automatic module (Automatic-Module-Name redis.clients.jedis)
})
module io.distkit.core {
  requires org.slf4j;
  requires static transitive org.jspecify;
  requires static redis.clients.jedis;

  exports io.distkit.core;
  exports io.distkit.core.codec;
  exports io.distkit.core.redis;
  exports io.distkit.core.session;
  exports io.distkit.core.internal to io.distkit.ratelimit, io.distkit.hashing, io.distkit.locks, io.distkit.cache,
      io.distkit.pool;
}
