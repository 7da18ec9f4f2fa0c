/**
 * The session layer: what primitives that live longer than one call (locks, caches, pools, workers,
 * membership) assemble instead of writing their own. Backend-neutral; the Redis pieces are in
 * {@link io.distkit.core.redis}.
 *
 * <ul>
 *   <li>{@link io.distkit.core.session.Scheduler}: every background task (renewals, polls, probes,
 *       reconnects, eviction); {@link io.distkit.core.session.SerialExecutor} for steps that must run one at a
 *       time, in order.
 *   <li>{@link io.distkit.core.session.Lease} and {@link io.distkit.core.session.LeaseRequest}: time-limited
 *       grants with a conservative local deadline ({@link io.distkit.core.session.Lease#localDeadline}, the
 *       one rule for it, also for a primitive that renews a lease through a script of its own, as membership
 *       does); {@link io.distkit.core.session.FencingToken}: the number
 *       that makes a stale holder's writes detectable.
 *   <li>{@link io.distkit.core.session.Subscriber} and {@link io.distkit.core.session.Subscription}: messages,
 *       and notice of possibly missed ones.
 *   <li>{@link io.distkit.core.session.PolicySupport} and {@link io.distkit.core.session.FailurePolicyHandler}:
 *       which failure policies a primitive accepts, and applying them the same way everywhere.
 *   <li>{@link io.distkit.core.session.HealthTracker} and {@link io.distkit.core.session.Backoff}: ejecting,
 *       probing and bringing back endpoints; spacing retries.
 * </ul>
 *
 * <p>See {@link io.distkit.core} for which piece a new primitive uses for what.
 */
@NullMarked
package io.distkit.core.session;

import org.jspecify.annotations.NullMarked;
