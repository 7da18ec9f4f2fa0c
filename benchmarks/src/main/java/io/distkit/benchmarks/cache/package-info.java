/**
 * Cache benchmarks: a hit in this JVM (distkit's local and near caches beside Caffeine, Redisson's
 * {@code RLocalCachedMap}), a read or write over one Redis round trip (beside raw
 * Jedis, Redisson's {@code RBucket} and {@code RMapCache}), and how long after a write another client's near cache
 * still serves the old value (beside Redisson's {@code RLocalCachedMap} and a plain read).
 */
@NullMarked
package io.distkit.benchmarks.cache;

import org.jspecify.annotations.NullMarked;
