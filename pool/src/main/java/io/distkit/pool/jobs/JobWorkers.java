package io.distkit.pool.jobs;

import java.time.Duration;

/**
 * The workers of a queue started by {@link JobQueue#work}: each takes the next due job, runs the handler, and
 * acknowledges, retries or dead-letters it.
 */
public interface JobWorkers extends AutoCloseable {

  /** The default drain deadline of {@link #close()}: 30 s. */
  Duration DEFAULT_DRAIN = Duration.ofSeconds(30);

  /**
   * How many attempts run now.
   *
   * @return 0 to the concurrency
   */
  int running();

  /**
   * Drains: no attempt starts from now on; attempts under way may finish until {@code deadline}; then the threads of
   * those still running are interrupted and their jobs go back to the queue, as not attempted (their outcome, if it
   * comes later, is ignored: the attempt's token is no longer the job's). Idempotent. On Redis, giving those jobs back
   * is one more call, waited for at most 1 s past the deadline (if Redis does not answer, the jobs run again once
   * their leases run out).
   *
   * @param deadline how long attempts under way may take to finish
   * @return true when every attempt finished within the deadline
   */
  boolean close(Duration deadline);

  /** {@link #close(Duration)} with {@link #DEFAULT_DRAIN}. */
  @Override
  default void close() {
    close(DEFAULT_DRAIN);
  }
}
