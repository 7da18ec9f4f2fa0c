package io.distkit.pool.object;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A lease held longer than the pool's leak threshold: probably never closed.
 *
 * @param pool the pool's name
 * @param thread the name of the thread that acquired it
 * @param heldFor how long it had been held when reported
 * @param acquiredAt where it was acquired (a stack trace captured then), when leak detection is on
 */
public record LeakReport(String pool, String thread, Duration heldFor, @Nullable Throwable acquiredAt) {}
