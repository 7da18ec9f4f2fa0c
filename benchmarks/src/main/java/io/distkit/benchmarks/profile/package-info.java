/**
 * JMH profilers for what JMH does not measure itself: Redis commands per operation, heap per key, and figures a
 * benchmark computes over its measured iterations (latency percentiles from a {@link
 * io.distkit.benchmarks.profile.LatencyHistogram}).
 */
@NullMarked
package io.distkit.benchmarks.profile;

import org.jspecify.annotations.NullMarked;
