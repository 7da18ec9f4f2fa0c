package io.distkit.ratelimit.internal;

import io.distkit.core.Clock;
import io.distkit.core.Sleeper;
import io.distkit.ratelimit.LimitResolver;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiterListener;
import org.jspecify.annotations.Nullable;

/**
 * The settings every limiter shares, as a builder hands them to its limiter. Not API.
 *
 * @param resolver chooses a key's limit
 * @param fixedLimit the one limit every key gets, or null when the resolver chooses per key
 * @param clock the clock
 * @param sleeper how {@code acquire} waits
 * @param listener hears decisions
 * @param hasListener false when {@code listener} is the default no-op
 */
public record LimiterSettings(
    LimitResolver resolver,
    @Nullable RateLimit fixedLimit,
    Clock clock,
    Sleeper sleeper,
    RateLimiterListener listener,
    boolean hasListener) {}
