/** Locks in Redis: {@link io.distkit.locks.redis.RedisLockService}. */
@NullMarked
package io.distkit.locks.redis;

import org.jspecify.annotations.NullMarked;
