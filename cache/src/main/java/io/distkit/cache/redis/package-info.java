/** The cache in Redis, shared by every JVM on it: {@link io.distkit.cache.redis.RedisCache}. */
@NullMarked
package io.distkit.cache.redis;

import org.jspecify.annotations.NullMarked;
