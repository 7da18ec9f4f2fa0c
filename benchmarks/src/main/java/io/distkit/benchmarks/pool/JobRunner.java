package io.distkit.benchmarks.pool;

/**
 * One implementation's way of running jobs on worker threads, as a user writes it: {@link JobQueueBenchmark} hands
 * it no-op jobs and waits for them to run.
 */
public interface JobRunner extends AutoCloseable {

  /**
   * Submits a job that a worker thread runs later.
   *
   * @param job the job; run once, on a worker thread
   */
  void submit(Runnable job);

  /** Stops the workers, after the jobs already submitted ran. */
  @Override
  void close();
}
