/**
 * The contracts every distkit primitive shares.
 *
 * <ul>
 *   <li>{@link io.distkit.core.Clock}: every read of time in the library goes through one injected clock.
 *   <li>{@link io.distkit.core.DistkitException} is the root of every exception distkit throws;
 *       {@link io.distkit.core.BackendUnavailableException} means the backend (Redis) is down, unreachable
 *       or too slow. A denial (rate limited, lock busy, pool exhausted) is a return value, never an exception.
 *   <li>{@link io.distkit.core.FailurePolicy} says what a Redis-backed primitive does while Redis is down, and
 *       {@link io.distkit.core.BackendGuard} remembers an outage so that calls fail fast instead of each
 *       waiting out a socket timeout.
 * </ul>
 *
 * <h2>Listeners and stats</h2>
 * Every primitive follows the same two conventions:
 * <ul>
 *   <li>It accepts a listener whose methods all default to no-ops. A listener that throws is logged at WARN
 *       and never changes the outcome of the operation that notified it.
 *   <li>It offers {@code stats()}: an immutable snapshot (a record) of monotonically increasing counters,
 *       cheap enough to poll from a metrics exporter.
 * </ul>
 */
@NullMarked
package io.distkit.core;

import org.jspecify.annotations.NullMarked;
