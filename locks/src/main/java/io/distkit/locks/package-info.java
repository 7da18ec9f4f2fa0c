/**
 * Locks with fencing tokens, read-write locks and semaphores, local and Redis. (Under construction: see the
 * project README.)
 */
@NullMarked
package io.distkit.locks;

import org.jspecify.annotations.NullMarked;
