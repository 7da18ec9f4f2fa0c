/**
 * Object and connection pools: {@link io.distkit.pool.object.ObjectPool} lends objects made by a
 * {@link io.distkit.pool.object.PooledObjectFactory} as {@link io.distkit.pool.object.Lease}s, with a finite wait,
 * validation, idle eviction, a maximum lifetime, bounded creation off the caller's thread and leak reports. The
 * implementation in this JVM is {@code io.distkit.pool.object.local.LocalObjectPool}.
 */
@NullMarked
package io.distkit.pool.object;

import org.jspecify.annotations.NullMarked;
