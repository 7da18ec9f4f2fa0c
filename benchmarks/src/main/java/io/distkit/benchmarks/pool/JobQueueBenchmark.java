package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * No-op jobs submitted and run end to end in one JVM: distkit's {@code LocalJobQueue} beside a bare
 * {@code ThreadPoolExecutor}, with the same worker threads and the same submitting thread.
 */
@ReportGroup(
    title = "Job queue, no-op jobs end to end",
    about = "Jobs per microsecond, submitted by 1 thread and run by 1 or 4 worker threads (platform threads on both "
        + "sides, started before the measurement). `batch`: each call submits " + JobQueueBenchmark.BATCH + " "
        + "no-op jobs, then waits until all of them ran (each run decrements one shared counter; the last wakes "
        + "the submitter), so the score is submit, hand-over and run. `oneAtATime`: submit one job and wait for it: "
        + "the inverse of the submit-to-done latency, a worker's wake-up included. `distkit-local` is "
        + "`LocalJobQueue.builder(name).build()` with its defaults, `submit(job)` with the default options (a job "
        + "id, a fencing token per attempt, retry policy, stats) and `work(workers, job -> job.payload().run())`; "
        + "the baseline `thread-pool-executor` is `new ThreadPoolExecutor(n, n, 0, ms, new LinkedBlockingQueue<>())` "
        + "and `execute(job)`: no id, no retry, no priority, no stats. The issue's goal is the local queue within "
        + "10% of the executor.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JobQueueBenchmark {

  /** Jobs per call of {@link #batch()}. */
  public static final int BATCH = 1000;

  /** The job runner under test. */
  @Param({JobRunners.DISTKIT_LOCAL, JobRunners.THREAD_POOL_EXECUTOR})
  public String implementation;

  /** Worker threads. */
  @Param({"1", "4"})
  public int workers;

  private JobRunner runner;
  private final JobBatch job = new JobBatch();

  /** Starts the workers. */
  @Setup(Level.Trial)
  public void setUp() {
    runner = JobRunners.create(implementation, TestKeys.unique("bench"), workers);
  }

  /** Stops the workers. */
  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
  }

  /** Submits {@value #BATCH} no-op jobs and waits until every one of them ran. */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void batch() {
    job.expect(BATCH);
    for (int i = 0; i < BATCH; i++) {
      runner.submit(job);
    }
    job.await();
  }

  /** Submits one no-op job and waits until it ran. */
  @Benchmark
  @Threads(1)
  public void oneAtATime() {
    job.expect(1);
    runner.submit(job);
    job.await();
  }
}
