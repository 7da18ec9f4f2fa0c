/**
 * Caches behind one {@link io.distkit.cache.Cache} interface: in this JVM on Caffeine
 * ({@link io.distkit.cache.local.LocalCache}) or in Redis ({@link io.distkit.cache.redis.RedisCache}), with
 * single-flight loading, negative caching and per-entry TTLs, and as a near cache (a coherent copy in the JVM over
 * Redis, {@link io.distkit.cache.redis.RedisCache.Builder#near}). Work in progress: the module is not published
 * yet.
 */
@NullMarked
package io.distkit.cache;

import org.jspecify.annotations.NullMarked;
