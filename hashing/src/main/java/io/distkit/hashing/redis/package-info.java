/**
 * The Redis side of distkit-hashing: {@link io.distkit.hashing.redis.RedisMembership}, a group's membership
 * kept in Redis with leases and announced by pub/sub, and {@link io.distkit.hashing.redis.RedisShardRouter},
 * client-side sharding with replicas over several independent Redis servers, with versioned values, read and
 * write quorums and read repair.
 *
 * <p>Both need Jedis on the class path (an optional dependency of distkit-hashing) and are assembled from
 * distkit-core's session layer: they talk to Redis only through {@link io.distkit.core.redis.RedisBackend} (its
 * guard and error mapping) and core's Lua preludes, hear changes through a
 * {@link io.distkit.core.redis.RedisSubscriptions} hub (by default the one every primitive on the client shares),
 * run background work on a {@link io.distkit.core.session.Scheduler}, and track each shard's health with a
 * {@link io.distkit.core.session.HealthTracker}. Neither starts a thread of its own.
 */
@NullMarked
package io.distkit.hashing.redis;

import org.jspecify.annotations.NullMarked;
