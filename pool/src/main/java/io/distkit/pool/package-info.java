/**
 * Object and connection pools, fleet-wide permits, worker pools and job queues, local and Redis. (Under
 * construction: see the project README.)
 */
@NullMarked
package io.distkit.pool;

import org.jspecify.annotations.NullMarked;
