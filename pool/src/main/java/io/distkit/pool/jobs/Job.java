package io.distkit.pool.jobs;

import io.distkit.core.session.FencingToken;

/**
 * One attempt of a job, as its handler sees it.
 *
 * @param id the job's id, the same for every attempt
 * @param payload what was submitted
 * @param attempt 1 for the first attempt, 2 for the first retry...
 * @param token this attempt's fencing token: every attempt of the queue gets a larger one, so a store can refuse the
 *     writes of an attempt that a later one replaced
 * @param <P> the type of the payload
 */
public record Job<P>(String id, P payload, int attempt, FencingToken token) {}
