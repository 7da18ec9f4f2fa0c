/**
 * Lock benchmarks: distkit's Redis lock beside Redisson's {@code RLock} uncontended, and beside {@code RLock} and
 * {@code RFairLock} handing one lock from thread to thread under contention.
 */
@NullMarked
package io.distkit.benchmarks.locks;

import org.jspecify.annotations.NullMarked;
