package io.distkit.pool.jobs;

/**
 * A queue's state and counts. For the local queue: since it was built. For the Redis queue: the queue's, across
 * every JVM that uses it (its counters live in Redis with the queue), except the start latency and the attempts
 * started, which are this queue object's workers'.
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
 * @param deferred jobs put back for later because their {@linkplain JobOptions#group group} was at its limit (not
 *     counted as attempts)
 * @param startLatencyNanos total time from when a job was due (submitted, or its delay or backoff over) to the start
 *     of its attempt, in nanoseconds
 * @param started attempts started (divide {@code startLatencyNanos} by it for the mean)
 */
public record JobStats(long queued, long running, long dead, long submitted, long duplicates, long succeeded,
    long failed, long retried, long deadLettered, long deferred, long startLatencyNanos, long started) {}
