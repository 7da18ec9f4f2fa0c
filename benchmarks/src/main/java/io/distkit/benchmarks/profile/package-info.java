/** JMH profilers for what JMH does not measure itself: Redis commands per operation, heap per key. */
@NullMarked
package io.distkit.benchmarks.profile;

import org.jspecify.annotations.NullMarked;
