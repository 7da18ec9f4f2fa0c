package io.distkit.benchmarks.pool;

import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.local.LocalJobQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The job runners whose end-to-end throughput {@link JobQueueBenchmark} measures, each with the same number of
 * platform worker threads, all started before the measurement.
 */
public final class JobRunners {

  /** distkit's {@code LocalJobQueue}: {@code submit(job)} with the default options, {@code work(workers, handler)}. */
  public static final String DISTKIT_LOCAL = "distkit-local";

  /** A bare {@code ThreadPoolExecutor} over an unbounded {@code LinkedBlockingQueue}: {@code execute(job)}. */
  public static final String THREAD_POOL_EXECUTOR = "thread-pool-executor";

  private JobRunners() {}

  /**
   * A runner with its workers started.
   *
   * @param implementation one of the constants of this class
   * @param name a name no other trial uses
   * @param workers how many worker threads
   * @return the runner
   */
  public static JobRunner create(String implementation, String name, int workers) {
    return switch (implementation) {
      case DISTKIT_LOCAL -> distkit(name, workers);
      case THREAD_POOL_EXECUTOR -> threadPoolExecutor(name, workers);
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a job runner "
          + "of this benchmark");
    };
  }

  /**
   * distkit with its defaults, its workers on platform threads of their own (the default on Java 17; given
   * explicitly so that Java 21's virtual threads do not change the comparison).
   */
  private static JobRunner distkit(String name, int workers) {
    JobQueue<Runnable> queue = LocalJobQueue.<Runnable>builder(name)
        .executor(loop -> {
          Thread thread = new Thread(loop, name + "-worker");
          thread.setDaemon(true);
          thread.start();
        })
        .build();
    queue.work(workers, job -> job.payload().run());
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        queue.submit(job);
      }

      @Override
      public void close() {
        queue.close();
      }
    };
  }

  /** A fixed pool of {@code workers} threads, all started, over an unbounded queue: what Executors makes. */
  private static JobRunner threadPoolExecutor(String name, int workers) {
    ThreadPoolExecutor executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, name + "-worker");
          thread.setDaemon(true);
          return thread;
        });
    executor.prestartAllCoreThreads();
    return new JobRunner() {
      @Override
      public void submit(Runnable job) {
        executor.execute(job);
      }

      @Override
      public void close() {
        executor.shutdown();
        try {
          executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
