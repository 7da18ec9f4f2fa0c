/**
 * Pools. Each kind has a package of its own: {@link io.distkit.pool.object} (object and connection pools). Fleet-wide
 * connection caps, a load balancer over pooled endpoints, and worker pools are to come.
 */
@NullMarked
package io.distkit.pool;

import org.jspecify.annotations.NullMarked;
