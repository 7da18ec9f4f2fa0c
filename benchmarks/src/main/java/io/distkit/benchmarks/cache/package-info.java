/**
 * Cache benchmarks: a hit in this JVM (distkit's local and near caches beside Caffeine, Redisson's
 * {@code RLocalCachedMap}) and a read or write over one Redis round trip (beside raw
 * Jedis, Redisson's {@code RBucket} and {@code RMapCache}).
 */
@NullMarked
package io.distkit.benchmarks.cache;

import org.jspecify.annotations.NullMarked;
