/** The Redis a benchmark trial runs against: a server of its own from core's test harness, unless one is given. */
@NullMarked
package io.distkit.benchmarks.redis;

import org.jspecify.annotations.NullMarked;
