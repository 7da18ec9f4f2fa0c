/**
 * Pools, each kind in a package of its own: {@link io.distkit.pool.object} (object and connection pools, in this JVM
 * in {@code object.local}), {@link io.distkit.pool.fleet} (fleet-wide caps on a resource's objects, on the locks
 * module's semaphore), {@link io.distkit.pool.connection} (ready factories for connections),
 * {@link io.distkit.pool.balance} (a load balancer over pooled endpoints, consistent hashing from the hashing module)
 * and {@link io.distkit.pool.jobs} (job queues and their workers, in this JVM in {@code jobs.local}).
 */
@NullMarked
package io.distkit.pool;

import org.jspecify.annotations.NullMarked;
