package io.distkit.pool.jobs;

import io.distkit.core.internal.Require;
import io.distkit.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Limits on the attempts of each {@linkplain JobOptions#group group} of jobs, for workers started by
 * {@link JobQueue#work(int, JobHandler, GroupLimits)}: at most so many attempts of one group at once, and attempts
 * of a group only as fast as a {@link RateLimiter} allows (keyed by the group's name: a Redis rate limiter makes the
 * rate fleet-wide).
 *
 * <pre>{@code
 * GroupLimits limits = GroupLimits.NONE.maxConcurrent(2).maxConcurrent("big-tenant", 8)
 *     .rateLimiter(LocalRateLimiter.builder().limit(RateLimit.perSecond(10)).build());
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

  /** No limit on any group. */
  public static final GroupLimits NONE = new GroupLimits(0, Map.of(), null, DEFAULT_DEFERRAL);

  private final int maxConcurrent;
  private final Map<String, Integer> maxConcurrentByGroup;
  private final @Nullable RateLimiter rateLimiter;
  private final Duration deferral;

  private GroupLimits(int maxConcurrent, Map<String, Integer> maxConcurrentByGroup, @Nullable RateLimiter rateLimiter,
      Duration deferral) {
    this.maxConcurrent = maxConcurrent;
    this.maxConcurrentByGroup = Map.copyOf(maxConcurrentByGroup);
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
    return new GroupLimits((int) Require.positive(attempts, "attempts"), maxConcurrentByGroup, rateLimiter, deferral);
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
    return new GroupLimits(maxConcurrent, more, rateLimiter, deferral);
  }

  /**
   * These limits, with each attempt of a group taking one permit of {@code limiter} for the key that is the group's
   * name.
   *
   * @param limiter the rate of each group (its limit resolver may give groups different rates)
   * @return the limits
   */
  public GroupLimits rateLimiter(RateLimiter limiter) {
    return new GroupLimits(maxConcurrent, maxConcurrentByGroup, Objects.requireNonNull(limiter, "rateLimiter"),
        deferral);
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
    return new GroupLimits(maxConcurrent, maxConcurrentByGroup, rateLimiter, delay);
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
        + maxConcurrentByGroup + ", rateLimiter=" + rateLimiter + ", deferral=" + deferral + "]";
  }
}
