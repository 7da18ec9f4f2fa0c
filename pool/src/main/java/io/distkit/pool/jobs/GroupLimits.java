package io.distkit.pool.jobs;

import io.distkit.core.internal.Require;
import io.distkit.locks.LockService;
import io.distkit.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Limits on the attempts of each {@linkplain JobOptions#group group} of jobs, for workers started by
 * {@link JobQueue#work(int, JobHandler, GroupLimits)}: at most so many attempts of one group at once among these
 * workers, at most so many across the fleet (each attempt holds a permit of a {@link LockService} semaphore named
 * after the group: a Redis lock service makes the bound fleet-wide), and attempts of a group only as fast as a
 * {@link RateLimiter} allows (keyed by the group's name: a Redis rate limiter makes the rate fleet-wide).
 *
 * <pre>{@code
 * GroupLimits limits = GroupLimits.NONE.maxConcurrent(2).maxConcurrent("big-tenant", 8)
 *     .fleetMaxConcurrent(redisLocks, 20)           // at most 20 attempts of a group at once in the whole fleet
 *     .rateLimiter(redisRateLimiter);               // and only as fast as its rate
 * queue.work(16, job -> call(job.payload()), limits);
 * }</pre>
 *
 * <p>A job whose group is at its limit when a worker takes it does not run: it goes back to the queue, due again
 * after the rate limiter's retry-after (or the {@linkplain #deferral(Duration) deferral}, for a group at its
 * concurrency), and this does not count as an attempt; a limiter that throws (a Redis limiter with Redis down and a
 * fail-closed policy) defers the job by the deferral too. The concurrency limit holds among the workers of one
 * {@code work} call (one JVM); jobs without a group are not limited. Immutable.
 */
public final class GroupLimits {

  /** The default deferral of a job whose group is at its concurrency: 100 ms. */
  public static final Duration DEFAULT_DEFERRAL = Duration.ofMillis(100);

  /**
   * The lease of a fleet-wide permit: renewed while its attempt runs, so a JVM that dies gives its permits back
   * within this.
   */
  public static final Duration FLEET_PERMIT_LEASE = Duration.ofSeconds(GroupLimits.FLEET_PERMIT_LEASE_SECONDS);

  /** {@link #FLEET_PERMIT_LEASE} in seconds. */
  public static final int FLEET_PERMIT_LEASE_SECONDS = 30;

  /** The prefix of the semaphores of fleet-wide group limits: {@code job-group:<group>}. */
  public static final String FLEET_SEMAPHORE_PREFIX = "job-group:";

  /** No limit on any group. */
  public static final GroupLimits NONE = new GroupLimits(0, Map.of(), null, 0, null, DEFAULT_DEFERRAL);

  private final int maxConcurrent;
  private final Map<String, Integer> maxConcurrentByGroup;
  private final @Nullable LockService fleetLocks;
  private final int fleetMaxConcurrent;
  private final @Nullable RateLimiter rateLimiter;
  private final Duration deferral;

  private GroupLimits(int maxConcurrent, Map<String, Integer> maxConcurrentByGroup, @Nullable LockService fleetLocks,
      int fleetMaxConcurrent, @Nullable RateLimiter rateLimiter, Duration deferral) {
    this.maxConcurrent = maxConcurrent;
    this.maxConcurrentByGroup = Map.copyOf(maxConcurrentByGroup);
    this.fleetLocks = fleetLocks;
    this.fleetMaxConcurrent = fleetMaxConcurrent;
    this.rateLimiter = rateLimiter;
    this.deferral = deferral;
  }

  /**
   * These limits, with at most {@code attempts} attempts of each group at once (unless a group has its own).
   *
   * @param attempts at least 1
   * @return the limits
   */
  public GroupLimits maxConcurrent(int attempts) {
    return new GroupLimits((int) Require.positive(attempts, "attempts"), maxConcurrentByGroup, fleetLocks,
        fleetMaxConcurrent, rateLimiter, deferral);
  }

  /**
   * These limits, with at most {@code attempts} attempts of one group at once.
   *
   * @param group the group's name
   * @param attempts at least 1
   * @return the limits
   */
  public GroupLimits maxConcurrent(String group, int attempts) {
    Map<String, Integer> more = new HashMap<>(maxConcurrentByGroup);
    more.put(Require.nonBlank(group, "group"), (int) Require.positive(attempts, "attempts"));
    return new GroupLimits(maxConcurrent, more, fleetLocks, fleetMaxConcurrent, rateLimiter, deferral);
  }

  /**
   * These limits, with at most {@code attempts} attempts of each group at once across every worker that uses
   * {@code locks}' semaphore {@code job-group:<group>} (every JVM with a Redis lock service on the same Redis, whatever
   * the queue). Each attempt of a group takes a permit without waiting (none free: the job is deferred) and gives it
   * back when it ends; the permit's lease ({@value #FLEET_PERMIT_LEASE_SECONDS} s) is renewed while it runs. Costs two
   * calls to the lock service per attempt of a group.
   *
   * @param locks the lock service whose semaphores bound the groups
   * @param attempts at least 1: the same for every group, in every JVM that shares the semaphores
   * @return the limits
   */
  public GroupLimits fleetMaxConcurrent(LockService locks, int attempts) {
    return new GroupLimits(maxConcurrent, maxConcurrentByGroup, Objects.requireNonNull(locks, "locks"),
        (int) Require.positive(attempts, "attempts"), rateLimiter, deferral);
  }

  /**
   * These limits, with each attempt of a group taking one permit of {@code limiter} for the key that is the group's
   * name.
   *
   * @param limiter the rate of each group (its limit resolver may give groups different rates)
   * @return the limits
   */
  public GroupLimits rateLimiter(RateLimiter limiter) {
    return new GroupLimits(maxConcurrent, maxConcurrentByGroup, fleetLocks, fleetMaxConcurrent,
        Objects.requireNonNull(limiter, "rateLimiter"), deferral);
  }

  /**
   * These limits, with another deferral of jobs whose group is at its concurrency.
   *
   * @param delay at least 1 ms; default {@link #DEFAULT_DEFERRAL}
   * @return the limits
   */
  public GroupLimits deferral(Duration delay) {
    if (Require.positiveNanos(delay, "deferral") < 1_000_000L) {
      throw new IllegalArgumentException("deferral (" + delay + ") must be at least 1 ms");
    }
    return new GroupLimits(maxConcurrent, maxConcurrentByGroup, fleetLocks, fleetMaxConcurrent, rateLimiter, delay);
  }

  /**
   * How many attempts of a group may run at once.
   *
   * @param group the group's name
   * @return the group's own limit, else the limit of every group; 0: no limit
   */
  public int maxConcurrentOf(String group) {
    return maxConcurrentByGroup.getOrDefault(group, maxConcurrent);
  }

  /**
   * The lock service whose semaphores bound each group across the fleet.
   *
   * @return the lock service, if any
   */
  public Optional<LockService> fleetLocks() {
    return Optional.ofNullable(fleetLocks);
  }

  /**
   * How many attempts of a group may run at once across the fleet.
   *
   * @return the bound; 0: none
   */
  public int fleetMaxConcurrent() {
    return fleetMaxConcurrent;
  }

  /**
   * The rate limiter of groups.
   *
   * @return the limiter, if any
   */
  public Optional<RateLimiter> rateLimiter() {
    return Optional.ofNullable(rateLimiter);
  }

  /**
   * How long a job whose group is at its concurrency waits before it is due again.
   *
   * @return the deferral
   */
  public Duration deferral() {
    return deferral;
  }

  @Override
  public String toString() {
    return "GroupLimits[maxConcurrent=" + (maxConcurrent == 0 ? "none" : maxConcurrent) + ", per group="
        + maxConcurrentByGroup + ", fleet=" + (fleetLocks == null ? "none" : fleetMaxConcurrent + " on " + fleetLocks)
        + ", rateLimiter=" + rateLimiter + ", deferral=" + deferral + "]";
  }
}
