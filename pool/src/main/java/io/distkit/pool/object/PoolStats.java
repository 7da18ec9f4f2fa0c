package io.distkit.pool.object;

/**
 * A snapshot of a pool's state and counts since it was built. Counts of different fields are read one after the
 * other, not atomically together.
 *
 * @param size objects alive (idle, lent, or being checked)
 * @param idle objects ready to lend
 * @param borrowed objects lent now
 * @param waiting callers waiting for an object
 * @param creating creations under way
 * @param acquired leases given out
 * @param waited leases that had to wait (no idle object at the call)
 * @param timedOut acquisitions that gave up at their deadline
 * @param waitNanos total time callers waited, in nanoseconds (successful or not)
 * @param usageNanos total time leases were held, in nanoseconds (ended leases), estimated: one loan in 16 of each
 *     object is timed and counted 16 times, so that giving back rarely reads the clock
 * @param created objects created
 * @param creationFailures creations that failed
 * @param creationNanos total time creations took, in nanoseconds (successful or not)
 * @param destroyed objects destroyed, for any {@link DestroyReason}
 * @param validationFailures objects that failed validation (on acquire or in the background)
 * @param leaksReported leases reported as probable leaks
 */
public record PoolStats(int size, int idle, int borrowed, int waiting, int creating, long acquired, long waited,
    long timedOut, long waitNanos, long usageNanos, long created, long creationFailures, long creationNanos,
    long destroyed, long validationFailures, long leaksReported) {}
