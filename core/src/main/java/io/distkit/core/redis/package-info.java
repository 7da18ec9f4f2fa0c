/**
 * Redis plumbing shared by every Redis-backed primitive: the one place that runs Lua scripts
 * ({@link io.distkit.core.redis.RedisBackend}, {@link io.distkit.core.redis.RedisScript}, the shared
 * {@link io.distkit.core.redis.LuaPrelude preludes}), builds keys ({@link io.distkit.core.redis.RedisKeys})
 * and turns Jedis exceptions into distkit's; and the Redis half of the session layer: leases
 * ({@link io.distkit.core.redis.RedisLeases}), fencing tokens ({@link io.distkit.core.redis.RedisFencing}),
 * pub/sub ({@link io.distkit.core.redis.RedisSubscriptions}) and pipelines
 * ({@link io.distkit.core.redis.RedisBatch}).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Redis 6.2 or newer, or Valkey.
 *   <li>One round trip per operation wherever the algorithm allows it: one script, not read-then-write.
 *   <li>Every key of one primitive instance (or of one user key) shares one hash tag, so scripts work on
 *       Redis Cluster.
 *   <li>Lua does integer arithmetic only, below 2^53.
 *   <li>Every key distkit writes has a TTL.
 *   <li>Scripts read the server's clock by default ({@link io.distkit.core.redis.TimeSource}), through the
 *       {@link io.distkit.core.redis.LuaPrelude#TIME} prelude.
 *   <li>Every stored value starts with its format version byte.
 * </ul>
 *
 * <p>This package needs Jedis on the class path; distkit declares it optional, so applications that use
 * only local implementations do not pull it in.
 */
@NullMarked
package io.distkit.core.redis;

import org.jspecify.annotations.NullMarked;
