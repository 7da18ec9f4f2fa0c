package io.distkit.pool.jobs;

/**
 * What a submission did.
 *
 * @param jobId the job's id (for a duplicate, the id of the job submitted first with the same idempotency key)
 * @param duplicate whether it was ignored because a job with the same idempotency key was submitted within the
 *     deduplication window
 */
public record Submission(String jobId, boolean duplicate) {}
