package io.distkit.core;

/**
 * What a Redis-backed primitive does when Redis is down, unreachable or too slow.
 *
 * <p>Each primitive documents what the policies mean for it, and declares which it supports with a
 * {@link io.distkit.core.session.PolicySupport} (not every policy makes sense everywhere: a lock refuses
 * {@link #FAIL_OPEN}, and says why when a builder is given it). Primitives apply the policy through one
 * {@link io.distkit.core.session.FailurePolicyHandler}, so counting and listener events are the same everywhere.
 * Whatever the policy, a {@link BackendGuard} makes the outage cheap: after the first failure, calls skip
 * Redis for a short interval and only one probe at a time checks whether it is back.
 */
public enum FailurePolicy {

  /**
   * Throw {@link BackendUnavailableException}. The safe default: the caller decides.
   */
  FAIL_CLOSED,

  /**
   * Behave as if Redis had said yes (a rate limiter admits, a cache misses). Availability over correctness.
   */
  FAIL_OPEN,

  /**
   * Use an in-process implementation of the same primitive until Redis is back. Each JVM then decides on its
   * own, so fleet-wide guarantees hold per JVM only; primitives say how they size the local share.
   */
  FALLBACK_TO_LOCAL
}
