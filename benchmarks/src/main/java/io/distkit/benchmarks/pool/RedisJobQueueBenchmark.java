package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import java.util.concurrent.Semaphore;
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
 * No-op jobs end to end on one Redis, in one JVM: producers submit as fast as a bounded backlog lets them, and
 * {@value RedisJobRunners#WORKERS} workers in the same JVM run them; an operation is one job. The backlog (jobs
 * submitted and not yet started) is bounded by a semaphore of {@value #BACKLOG} permits that each job's handler gives
 * back when it starts, so in steady state the submission rate JMH counts is the rate jobs start.
 */
@ReportGroup(
    title = "Redis job queue, end to end",
    about = "No-op jobs per millisecond through one Redis, submitted and run in one JVM, on a `redis-server` each "
        + "trial starts for itself on loopback: producer threads submit as fast as a backlog of at most 4,096 jobs "
        + "submitted and not yet started lets them (each handler, when it starts, frees a place), and 32 workers "
        + "of the same JVM run them, so in steady state the rate of submissions is the rate jobs start. "
        + "`batchesOf100`: one thread submits 100 jobs per call; `oneJobPerCall`: 4 threads submit one job per "
        + "call. distkit: `RedisJobQueue` with its defaults (claims up to 128 jobs per script call, 30 s leases), "
        + "`submitAll(jobs, DEFAULT)` or `submit(job)`, `work(32, handler)`, payload a `Long` (`Codec.longs()`); "
        + "Redisson: `RExecutorService` with its defaults, `execute(Runnable...)` or `execute(Runnable)` of a "
        + "serializable no-op `Runnable`, `registerWorkers(workers(32))` in the same JVM. commands/op is per job, "
        + "counted by the server: the producers' and the workers' commands together.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisJobQueueBenchmark {

  /** The most jobs submitted and not yet started. */
  static final int BACKLOG = 4_096;

  /** Jobs per call of {@link #batchesOf100}. */
  private static final int BATCH = 100;

  /** The queue under test. */
  @Param({RedisJobRunners.DISTKIT, RedisJobRunners.REDISSON})
  public String implementation;

  private BenchmarkRedis redis;
  private RedisJobRunners.Runner runner;
  private final Semaphore backlog = new Semaphore(BACKLOG);

  /** Starts the trial's Redis and the implementation's workers. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    redis = BenchmarkRedis.open(tag);
    try {
      runner = RedisJobRunners.create(implementation, redis, tag + ":noop", submitted -> backlog.release());
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
  }

  /** Stops the workers, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      runner.close();
    } finally {
      redis.close();
    }
  }

  /**
   * One producer: 100 jobs per call.
   *
   * @throws InterruptedException never: nothing interrupts the benchmark's threads
   */
  @Benchmark
  @Threads(1)
  @OperationsPerInvocation(BATCH)
  public void batchesOf100() throws InterruptedException {
    backlog.acquire(BATCH);
    runner.submit(BATCH);
  }

  /**
   * Four producers: one job per call.
   *
   * @throws InterruptedException never: nothing interrupts the benchmark's threads
   */
  @Benchmark
  @Threads(4)
  public void oneJobPerCall() throws InterruptedException {
    backlog.acquire();
    runner.submit(1);
  }
}
