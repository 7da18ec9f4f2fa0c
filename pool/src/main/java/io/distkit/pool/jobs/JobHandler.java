package io.distkit.pool.jobs;

/**
 * Runs a job. Returning normally acknowledges it (done); throwing fails this attempt (retried by its
 * {@link RetryPolicy}, or dead-lettered). A handler must be thread-safe: a queue's workers call it concurrently.
 *
 * @param <P> the type of the payload
 */
@FunctionalInterface
public interface JobHandler<P> {

  /**
   * Runs one attempt.
   *
   * @param job the job and this attempt's number and fencing token
   * @throws Exception to fail the attempt
   */
  void handle(Job<P> job) throws Exception;
}
