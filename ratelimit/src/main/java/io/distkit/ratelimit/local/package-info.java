/**
 * The in-process rate limiter: {@link io.distkit.ratelimit.local.LocalRateLimiter}. No server, no network;
 * the same decisions as the Redis limiter for the same limits and clock.
 */
@NullMarked
package io.distkit.ratelimit.local;

import org.jspecify.annotations.NullMarked;
