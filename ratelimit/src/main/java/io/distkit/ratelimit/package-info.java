/**
 * Rate limiting: one {@link io.distkit.ratelimit.RateLimiter} interface, five
 * {@linkplain io.distkit.ratelimit.Algorithm algorithms}, two implementations that make the same decisions:
 * {@link io.distkit.ratelimit.local.LocalRateLimiter} (in this JVM) and
 * {@link io.distkit.ratelimit.redis.RedisRateLimiter} (shared through Redis, one {@code EVALSHA} per
 * decision).
 *
 * <pre>{@code
 * RateLimit limit = RateLimit.of(Algorithm.GCRA, 100, Duration.ofMinutes(1));
 * RateLimiter local = LocalRateLimiter.builder().limit(limit).build();
 * RateLimiter shared = RedisRateLimiter.builder(jedis).name("api").limit(limit).build();
 *
 * RateLimitDecision d = shared.tryAcquire("user-42");
 * if (!d.allowed()) {
 *   // 429, Retry-After: d.retryAfterSeconds()
 * }
 * }</pre>
 *
 * <p>Both builders return the {@link io.distkit.ratelimit.RateLimiter} interface; the implementations are not
 * API. For one key used from many threads (one resource behind one limit), bind it once:
 * {@link io.distkit.ratelimit.RateLimiter#forKey(String)} returns a {@link io.distkit.ratelimit.BoundRateLimiter}
 * that makes the same decisions on the same state without checking and finding the key on every call.
 *
 * <p>A {@link io.distkit.ratelimit.RateLimit} combines one or more {@link io.distkit.ratelimit.Bandwidth}s
 * (e.g. 10 per second and 1,000 per hour) checked and consumed atomically. Different keys can have different
 * limits through a {@link io.distkit.ratelimit.LimitResolver} or a limit passed per call. Every algorithm
 * computes with exact integers (rates kept as reduced fractions, remainders carried), so refills never drift
 * and a local and a Redis limiter given the same clock agree decision for decision.
 */
@NullMarked
package io.distkit.ratelimit;

import org.jspecify.annotations.NullMarked;
