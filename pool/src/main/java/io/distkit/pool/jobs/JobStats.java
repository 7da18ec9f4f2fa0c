package io.distkit.pool.jobs;

/**
 * A queue's state and counts since it was built (this JVM's view).
 *
 * @param queued jobs waiting, due or not
 * @param running attempts under way
 * @param dead jobs in the dead-letter list
 * @param submitted submissions accepted
 * @param duplicates submissions ignored for their idempotency key
 * @param succeeded attempts that succeeded
 * @param failed attempts that failed
 * @param retried failed attempts rescheduled
 * @param deadLettered jobs moved to the dead-letter list
 * @param startLatencyNanos total time from when a job was due (submitted, or its delay or backoff over) to the start
 *     of its attempt, in nanoseconds
 * @param started attempts started (divide {@code startLatencyNanos} by it for the mean)
 */
public record JobStats(long queued, long running, long dead, long submitted, long duplicates, long succeeded,
    long failed, long retried, long deadLettered, long startLatencyNanos, long started) {}
