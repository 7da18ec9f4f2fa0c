package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.profile.TrialFiguresProfiler;
import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Enqueue-to-start latency of no-op jobs on one Redis at a fixed offered load: {@value #PRODUCERS} producer threads
 * each submit one job per call on a fixed schedule (together {@code rate} jobs per second; a producer that falls
 * behind its schedule submits at once until it has caught up, so a slow submission does not lower the load), and
 * {@value RedisJobRunners#WORKERS} workers of the same JVM run them. {@link StartRecorder} times each job from just
 * before its submission call to the start of its handler, and the {@link TrialFiguresProfiler} reports percentiles
 * over all measured iterations. The score is the rate the producers achieved (jobs per ms), which shows whether the
 * load was offered in full.
 */
@ReportGroup(
    title = "Redis job queue, enqueue-to-start latency at a fixed load",
    about = "Jobs submitted per millisecond at a fixed offered load, and the *start latency* of each: from just "
        + "before its submission call to the start of its (no-op) handler, on a `redis-server` each trial starts "
        + "for itself on loopback, with producers and workers in one JVM. 4 producer threads each submit one job "
        + "per call on a fixed schedule, together `rate` jobs per second (a producer behind its schedule submits at "
        + "once until it catches up: the load does not drop when submissions slow down), and 32 workers of the "
        + "same JVM run them; the score is the rate achieved, at most `rate`/1000 per ms. 12,500 jobs/s is half the "
        + "issue's goal of 25,000; 1,000 jobs/s is a load Redisson's executor keeps up with. distkit: "
        + "`RedisJobQueue` with its defaults, `submit(job)`, `work(32, handler)`; Redisson: `RExecutorService` with "
        + "its defaults, `execute(Runnable)`, `registerWorkers(workers(32))`. Percentiles come from a histogram of "
        + "every job of all measured iterations together, with buckets 3.1% wide (a percentile is its bucket's "
        + "upper bound; the max is exact). commands/op is per job, counted by the server.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisJobLatencyBenchmark {

  /** The producer threads. */
  static final int PRODUCERS = 4;

  /** The queue under test. */
  @Param({RedisJobRunners.DISTKIT, RedisJobRunners.REDISSON})
  public String implementation;

  /** Jobs offered per second, all producers together: half the 25,000 goal, and a load Redisson keeps up with. */
  @Param({"1000", "12500"})
  public int rate;

  private BenchmarkRedis redis;
  private RedisJobRunners.Runner runner;
  private final StartRecorder recorder = new StartRecorder();

  /** One producer's schedule. */
  @State(Scope.Thread)
  public static class Schedule {
    long periodNanos;
    long nextNanos;

    /**
     * Starts the schedule afresh each iteration (the pause between iterations is not a backlog to catch up on).
     *
     * @param bench the trial
     * @param params JMH's, for the thread count
     */
    @Setup(Level.Iteration)
    public void start(RedisJobLatencyBenchmark bench, BenchmarkParams params) {
      periodNanos = TimeUnit.SECONDS.toNanos(1) * params.getThreads() / bench.rate;
      nextNanos = System.nanoTime();
    }

    /** Waits for this producer's next slot. */
    void await() {
      long now = System.nanoTime();
      while (now - nextNanos < 0) {
        LockSupport.parkNanos(nextNanos - now);
        now = System.nanoTime();
      }
      nextNanos += periodNanos;
    }
  }

  /** Starts the trial's Redis and the implementation's workers. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    redis = BenchmarkRedis.open(tag);
    try {
      runner = RedisJobRunners.create(implementation, redis, tag + ":noop", recorder::started);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    TrialFiguresProfiler.publish(recorder);
  }

  /** Stops the workers, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    TrialFiguresProfiler.withdraw(recorder);
    try {
      runner.close();
    } finally {
      redis.close();
    }
  }

  /**
   * Four producers on a schedule: one job per call.
   *
   * @param schedule the calling producer's
   */
  @Benchmark
  @Threads(PRODUCERS)
  public void fourProducers(Schedule schedule) {
    schedule.await();
    runner.submit(1);
  }
}
