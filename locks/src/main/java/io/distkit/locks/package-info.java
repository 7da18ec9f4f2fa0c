/**
 * Named locks with fencing tokens: {@link io.distkit.locks.LockService} hands out
 * {@link io.distkit.locks.LockHandle}s (ownership by handle, never by thread), each with a token that grows with
 * every grant of its lock; {@link io.distkit.locks.FencedResource} is the check a resource makes with it.
 * Implementations: {@link io.distkit.locks.local.LocalLockService} (this JVM) and
 * {@link io.distkit.locks.redis.RedisLockService} (every JVM on one Redis). Work in progress: read-write locks,
 * semaphores and leader election are to come, and the module is not published yet.
 */
@NullMarked
package io.distkit.locks;

import org.jspecify.annotations.NullMarked;
