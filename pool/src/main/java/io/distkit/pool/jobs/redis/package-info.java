/**
 * The job queue in Redis ({@link io.distkit.pool.jobs.redis.RedisJobQueue}): at least once across JVMs, attempts
 * on leases of the server's clock with fencing tokens, batched claims and acknowledgements, workers woken by
 * pub/sub and timers.
 */
@NullMarked
package io.distkit.pool.jobs.redis;

import org.jspecify.annotations.NullMarked;
