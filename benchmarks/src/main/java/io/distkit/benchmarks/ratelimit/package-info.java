/**
 * Rate-limiter benchmarks: local (one key, 1,000,000 keys) and Redis, beside Bucket4j, Guava,
 * Resilience4j, Redisson and a raw EVALSHA.
 */
@NullMarked
package io.distkit.benchmarks.ratelimit;

import org.jspecify.annotations.NullMarked;
