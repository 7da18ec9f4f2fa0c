/**
 * Job queues and their workers: {@link io.distkit.pool.jobs.JobQueue} takes jobs (a payload, with an optional delay,
 * priority, idempotency key, {@link io.distkit.pool.jobs.RetryPolicy} and group) and runs them on workers
 * ({@link io.distkit.pool.jobs.JobQueue#work}) until they succeed, retrying failures with backoff and keeping jobs
 * that exhausted their attempts in a dead-letter list that can be read and replayed. Each attempt carries a fencing
 * token; {@link io.distkit.pool.jobs.GroupLimits} bounds each group's attempts (at once in these workers, at once
 * across the fleet on a {@code locks} semaphore, and per unit of time on a {@code ratelimit} limiter). In this JVM:
 * {@code io.distkit.pool.jobs.local.LocalJobQueue}; on Redis, at least once across JVMs:
 * {@code io.distkit.pool.jobs.redis.RedisJobQueue}.
 */
@NullMarked
package io.distkit.pool.jobs;

import org.jspecify.annotations.NullMarked;
