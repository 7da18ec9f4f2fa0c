package io.distkit.pool.jobs;

/**
 * A job that exhausted its attempts (or its deadline), kept for reading and {@linkplain JobQueue#replay replay}.
 *
 * @param id the job's id
 * @param payload what was submitted
 * @param attempts how many attempts ran
 * @param lastFailure the last attempt's exception, as {@code toString()}
 * @param <P> the type of the payload
 */
public record DeadJob<P>(String id, P payload, int attempts, String lastFailure) {}
