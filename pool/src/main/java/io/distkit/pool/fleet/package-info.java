/**
 * Fleet-wide caps: at most N objects (connections) of a named resource across every JVM, each held under a permit
 * of a {@link io.distkit.locks.FencedSemaphore} from the {@code locks} module (a renewed server-time lease with a
 * fencing token on Redis; in one JVM with the local lock service). The cap wraps a pool's factory
 * ({@link io.distkit.pool.fleet.FleetCap#limit}): a permit is taken before an object is created and given back
 * after it is destroyed, so borrowing an existing object costs no round trip.
 *
 * <p>Why {@code locks}: the semaphore already is the fleet-wide, crash-safe, clock-skew-immune count this needs
 * (leases on the server's clock, reclaimed after a crash, FIFO); a second implementation would only differ in its
 * bugs. {@code distkit-pool} depends on {@code distkit-locks}; nothing in {@code locks} depends on pools.
 */
@NullMarked
package io.distkit.pool.fleet;

import org.jspecify.annotations.NullMarked;
