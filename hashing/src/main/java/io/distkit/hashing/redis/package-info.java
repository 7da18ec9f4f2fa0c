/**
 * The Redis side of distkit-hashing: {@link io.distkit.hashing.redis.RedisMembership}, a group's membership
 * kept in Redis with leases and announced by pub/sub, and {@link io.distkit.hashing.redis.RedisShardRouter},
 * client-side sharding with replicas over several independent Redis servers, with versioned values, read and
 * write quorums and read repair.
 *
 * <p>Both need Jedis on the class path (an optional dependency of distkit-hashing) and talk to Redis only
 * through {@link io.distkit.core.redis.RedisBackend}, except for the long-lived pub/sub subscription.
 */
@NullMarked
package io.distkit.hashing.redis;

import org.jspecify.annotations.NullMarked;
