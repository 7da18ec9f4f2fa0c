/** Lock benchmarks: distkit's Redis lock beside Redisson's {@code RLock}. */
@NullMarked
package io.distkit.benchmarks.locks;

import org.jspecify.annotations.NullMarked;
