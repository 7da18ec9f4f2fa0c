package io.distkit.locks;

/**
 * Counts since a {@link LockService} was built.
 *
 * @param acquired grants, at once or after a wait
 * @param handedOff grants handed by a release (or an expiry) straight to the next waiter, a subset of
 *     {@code acquired}
 * @param notAcquired calls that gave up: the lock was busy and the wait ran out (or was zero)
 * @param released grants given up by their holders while still held
 * @param lost grants lost while held: the lease ran out, or the lock was taken
 * @param held grants held right now
 * @param renewals renewals of renewed leases confirmed by the backend (0 in one JVM, where nothing needs renewing)
 * @param renewalFailures renewal rounds that could not reach the backend (a lease survives them until its local
 *     deadline)
 */
public record LockStats(long acquired, long handedOff, long notAcquired, long released, long lost, long held,
    long renewals, long renewalFailures) {}
