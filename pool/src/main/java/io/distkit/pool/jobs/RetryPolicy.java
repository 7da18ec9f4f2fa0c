package io.distkit.pool.jobs;

import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How a failed job is retried: at most {@link #maxAttempts()} attempts in all, the n-th retry after
 * {@code backoff.delay(n)} (exponential with jitter by default), and none once {@link #deadline()} has passed since
 * the job was submitted. A job out of attempts or past its deadline goes to the dead-letter list.
 *
 * @param maxAttempts attempts in all, the first included: at least 1
 * @param backoff the pause before each retry
 * @param deadline no attempt starts later than this after submission; zero: no deadline
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, Duration deadline) {

  /** The default: 5 attempts, 1 s doubling to 5 min with jitter, no deadline. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ZERO);

  /** One attempt, no retry. */
  public static final RetryPolicy NONE = new RetryPolicy(1, Backoff.fixed(Duration.ofSeconds(1)), Duration.ZERO);

  /**
   * Checks the fields.
   *
   * @param maxAttempts attempts in all: at least 1
   * @param backoff the pause before each retry
   * @param deadline zero or more
   */
  public RetryPolicy {
    Require.positive(maxAttempts, "maxAttempts");
    Objects.requireNonNull(backoff, "backoff");
    Require.nonNegativeNanos(deadline, "deadline");
  }

  /**
   * The same policy with another number of attempts.
   *
   * @param attempts at least 1
   * @return the policy
   */
  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, backoff, deadline);
  }

  /**
   * The same policy with another backoff.
   *
   * @param pauses the pause before each retry
   * @return the policy
   */
  public RetryPolicy withBackoff(Backoff pauses) {
    return new RetryPolicy(maxAttempts, pauses, deadline);
  }

  /**
   * The same policy with a deadline.
   *
   * @param after no attempt starts later than this after submission; zero: none
   * @return the policy
   */
  public RetryPolicy withDeadline(Duration after) {
    return new RetryPolicy(maxAttempts, backoff, after);
  }
}
