package io.distkit.pool.jobs;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How one job is submitted: a delay before it may start, a priority, an idempotency key, a retry policy, a group.
 *
 * <pre>{@code
 * queue.submit(email, JobOptions.DEFAULT.delay(Duration.ofMinutes(5)).priority(10).idempotencyKey("welcome:42"));
 * }</pre>
 *
 * @param delay how long after submission the job may start; zero: at once
 * @param priority among jobs due at the same time, higher runs first, from {@value #MIN_PRIORITY} to
 *     {@value #MAX_PRIORITY} (a due job of lower priority is not overtaken by one that is not yet due)
 * @param idempotencyKey a second submission with the same key within the queue's deduplication window is ignored
 *     (and says so); null: none
 * @param retry how failures are retried
 * @param group the group whose limits the job's attempts obey (see {@link GroupLimits}), e.g. a tenant or the API
 *     the job calls; null: none
 */
public record JobOptions(Duration delay, int priority, @Nullable String idempotencyKey, RetryPolicy retry,
    @Nullable String group) {

  /** The lowest priority: -1,000. */
  public static final int MIN_PRIORITY = -1_000;

  /** The highest priority: 1,000. */
  public static final int MAX_PRIORITY = 1_000;

  /** No delay, priority 0, no idempotency key, {@link RetryPolicy#DEFAULT}, no group. */
  public static final JobOptions DEFAULT = new JobOptions(Duration.ZERO, 0, null, RetryPolicy.DEFAULT, null);

  /**
   * Checks the fields.
   *
   * @param delay zero or more
   * @param priority {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}
   * @param idempotencyKey null, or 1 to 1,024 chars
   * @param retry the retry policy
   * @param group null, or 1 to 1,024 chars
   */
  public JobOptions {
    Require.nonNegativeNanos(delay, "delay");
    Objects.requireNonNull(retry, "retry");
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be " + MIN_PRIORITY + " to " + MAX_PRIORITY + ", got " + priority);
    }
    if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 1024)) {
      throw new IllegalArgumentException("idempotencyKey must be 1 to 1024 chars, got " + idempotencyKey.length());
    }
    if (group != null && (group.isEmpty() || group.length() > 1024)) {
      throw new IllegalArgumentException("group must be 1 to 1024 chars, got " + group.length());
    }
  }

  /**
   * These options with a delay.
   *
   * @param after how long after submission the job may start
   * @return the options
   */
  public JobOptions delay(Duration after) {
    return new JobOptions(after, priority, idempotencyKey, retry, group);
  }

  /**
   * These options with a priority.
   *
   * @param value higher runs first among due jobs: {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}
   * @return the options
   */
  public JobOptions priority(int value) {
    return new JobOptions(delay, value, idempotencyKey, retry, group);
  }

  /**
   * These options with an idempotency key.
   *
   * @param key 1 to 1,024 chars
   * @return the options
   */
  public JobOptions idempotencyKey(String key) {
    return new JobOptions(delay, priority, Objects.requireNonNull(key, "idempotencyKey"), retry, group);
  }

  /**
   * These options with a retry policy.
   *
   * @param policy how failures are retried
   * @return the options
   */
  public JobOptions retry(RetryPolicy policy) {
    return new JobOptions(delay, priority, idempotencyKey, policy, group);
  }

  /**
   * These options with a group.
   *
   * @param name 1 to 1,024 chars: the group whose limits the job's attempts obey
   * @return the options
   */
  public JobOptions group(String name) {
    return new JobOptions(delay, priority, idempotencyKey, retry, Objects.requireNonNull(name, "group"));
  }
}
