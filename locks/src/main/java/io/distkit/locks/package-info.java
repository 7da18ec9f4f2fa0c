/**
 * Named locks with fencing tokens: {@link io.distkit.locks.LockService} hands out
 * {@link io.distkit.locks.LockHandle}s (ownership by handle, never by thread), each with a token that grows with
 * every grant of its name; {@link io.distkit.locks.FencedResource} is the check a resource makes with it. On the
 * same state machine: {@link io.distkit.locks.FencedSemaphore} (permits as leases),
 * {@link io.distkit.locks.FencedReadWriteLock} (readers cannot starve a writer) and
 * {@link io.distkit.locks.LeaderElection} (the term is the fencing token). Implementations:
 * {@link io.distkit.locks.local.LocalLockService} (this JVM) and {@link io.distkit.locks.redis.RedisLockService}
 * (every JVM on one Redis).
 */
@NullMarked
package io.distkit.locks;

import org.jspecify.annotations.NullMarked;
