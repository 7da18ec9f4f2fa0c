/**
 * Rate limiters: token bucket, GCRA, fixed window, sliding log and sliding window counter, each with a local
 * and a Redis implementation behind one interface. (Under construction: see the project README.)
 */
@NullMarked
package io.distkit.ratelimit;

import org.jspecify.annotations.NullMarked;
