/**
 * Job queues and their workers: {@link io.distkit.pool.jobs.JobQueue} takes jobs (a payload, with an optional delay,
 * priority, idempotency key and {@link io.distkit.pool.jobs.RetryPolicy}) and runs them on workers
 * ({@link io.distkit.pool.jobs.JobQueue#work}) until they succeed, retrying failures with backoff and keeping jobs
 * that exhausted their attempts in a dead-letter list that can be read and replayed. Each attempt carries a fencing
 * token. In this JVM: {@code io.distkit.pool.jobs.local.LocalJobQueue}; on Redis (at least once across JVMs): to
 * come.
 */
@NullMarked
package io.distkit.pool.jobs;

import org.jspecify.annotations.NullMarked;
