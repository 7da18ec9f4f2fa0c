/**
 * The Redis rate limiter: {@link io.distkit.ratelimit.redis.RedisRateLimiter}. One {@code EVALSHA} per
 * decision, the same decisions as the local limiter, shared by every JVM on the same Redis.
 */
@NullMarked
package io.distkit.ratelimit.redis;

import org.jspecify.annotations.NullMarked;
