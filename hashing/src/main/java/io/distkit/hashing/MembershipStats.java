package io.distkit.hashing;

/**
 * A membership's counters since it started; each only grows.
 *
 * @param heartbeats lease renewals that reached the backend (0 for an observer)
 * @param reads reads of the whole group that reached the backend
 * @param changes new versions seen (views replaced)
 * @param failures heartbeats, reads or locator builds that failed (the backend was unavailable, or a
 *     member's data could not be used)
 */
public record MembershipStats(long heartbeats, long reads, long changes, long failures) {}
