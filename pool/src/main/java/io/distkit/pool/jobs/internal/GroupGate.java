package io.distkit.pool.jobs.internal;

import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.pool.jobs.GroupLimits;
import io.distkit.ratelimit.RateLimitDecision;
import io.distkit.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link GroupLimits} to the attempts of one set of workers: a worker asks {@link #enter} before it runs an
 * attempt and, when let in, calls {@link Pass#leave} after it. Thread-safe.
 */
public final class GroupGate {

  private static final Logger log = LoggerFactory.getLogger(GroupGate.class);
  /** The longest deferral: a rate limiter's "never" (a permit above its capacity) retries after a minute. */
  private static final long MAX_DEFERRAL_NANOS = 60_000_000_000L;
  private static final LockLease PERMIT_LEASE = LockLease.renewed(GroupLimits.FLEET_PERMIT_LEASE);

  /** What {@link #enter} decided for one attempt. */
  public static final class Pass {
    /** Let in, nothing to give back: a job without a group, or workers without limits. */
    static final Pass FREE = new Pass(0, "", null, null);

    private final long deferNanos;
    private final String group;
    /** The group's count of attempts in these workers, to decrement; null: not counted. */
    private final @Nullable AtomicInteger slot;
    private final @Nullable LockHandle permit;

    private Pass(long deferNanos, String group, @Nullable AtomicInteger slot, @Nullable LockHandle permit) {
      this.deferNanos = deferNanos;
      this.group = group;
      this.slot = slot;
      this.permit = permit;
    }

    static Pass deferred(long nanos) {
      return new Pass(nanos, "", null, null);
    }

    /**
     * Whether the attempt was kept out.
     *
     * @return 0 when it may run (then call {@link #leave} after it), else how long to defer the job, in ns
     */
    public long deferNanos() {
      return deferNanos;
    }

    /** The attempt let in ended (or was kept out after all): its group's slot and fleet permit are given back. */
    public void leave() {
      if (slot != null) {
        slot.decrementAndGet();
      }
      if (permit != null) {
        try {
          permit.close();
        } catch (RuntimeException e) { // its lease runs out instead
          log.warn("Fleet permit of job group {} not given back; it comes back when its lease runs out", group, e);
        }
      }
    }
  }

  private final GroupLimits limits;
  private final @Nullable RateLimiter rateLimiter;
  private final @Nullable LockService fleetLocks;
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  private final Map<String, FencedSemaphore> semaphores = new ConcurrentHashMap<>();
  private final long deferralNanos;

  /**
   * A gate for one set of workers.
   *
   * @param limits the limits
   */
  public GroupGate(GroupLimits limits) {
    this.limits = limits;
    this.rateLimiter = limits.rateLimiter().orElse(null);
    this.fleetLocks = limits.fleetLocks().orElse(null);
    this.deferralNanos = limits.deferral().toNanos();
  }

  /**
   * Whether an attempt of {@code group} may start now: it takes a slot of the group's concurrency in these workers,
   * then a fleet permit, then a permit of the rate limiter; the first that says no keeps it out (and what it took
   * before is given back).
   *
   * @param group the job's group; null: none (always let in)
   * @return the decision
   */
  public Pass enter(@Nullable String group) {
    if (group == null) {
      return Pass.FREE;
    }
    int max = limits.maxConcurrentOf(group);
    AtomicInteger count = null;
    if (max > 0) {
      count = running.computeIfAbsent(group, g -> new AtomicInteger());
      if (count.incrementAndGet() > max) {
        count.decrementAndGet();
        return Pass.deferred(deferralNanos);
      }
    }
    LockHandle permit = null;
    long defer = 0;
    if (fleetLocks != null) {
      try {
        Optional<LockHandle> taken = semaphore(group).tryAcquire(Duration.ZERO, PERMIT_LEASE);
        if (taken.isPresent()) {
          permit = taken.get();
        } else {
          defer = deferralNanos;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        defer = deferralNanos;
      } catch (RuntimeException e) { // the lock service's Redis down: never a lost job
        log.warn("Fleet permits of job group {} unavailable; deferring its job", group, e);
        defer = deferralNanos;
      }
    }
    if (defer == 0 && rateLimiter != null) {
      try {
        RateLimitDecision decision = rateLimiter.tryAcquire(group);
        long micros = decision.retryAfterMicros();
        defer = decision.allowed() ? 0
            : micros >= MAX_DEFERRAL_NANOS / 1_000 ? MAX_DEFERRAL_NANOS : Math.max(1_000_000L, micros * 1_000);
      } catch (RuntimeException e) { // Redis down under a fail-closed limiter, or a broken limiter: never a lost job
        log.warn("Rate limiter of job group {} failed; deferring its job", group, e);
        defer = deferralNanos;
      }
    }
    Pass taken = count == null && permit == null ? Pass.FREE : new Pass(0, group, count, permit);
    if (defer > 0) {
      taken.leave();
      return Pass.deferred(defer);
    }
    return taken;
  }

  private FencedSemaphore semaphore(String group) {
    LockService locks = Objects.requireNonNull(fleetLocks);
    return semaphores.computeIfAbsent(group,
        g -> locks.semaphore(GroupLimits.FLEET_SEMAPHORE_PREFIX + g, limits.fleetMaxConcurrent()));
  }
}
