package io.distkit.benchmarks.ratelimit;

import io.distkit.benchmarks.report.ReportGroup;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * In-process limiters deciding for one existing key, in a tight loop, from one and two threads sharing it.
 */
@ReportGroup(
    title = "Local rate limiter, one key",
    about = "Decisions per microsecond for one permit of one key that already exists, called in a tight loop "
        + "by 1 and 2 threads sharing the limiter. `always-admit`: a limit of 10^9/s that never denies; "
        + "`mostly-deny`: 1,000/s, so nearly every call is denied. distkit is called through the handle of "
        + "the key (`limiter.forKey(key).tryConsume(1)`, the allocation-free yes/no), one object per key like "
        + "Bucket4j's local `Bucket`, Guava's `RateLimiter` and Resilience4j's `AtomicRateLimiter`; "
        + "`distkit-gcra-keyed` is `limiter.tryConsume(key, 1)`, which checks the key and finds it in the "
        + "limiter's map on every call.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LocalLimiterOneKeyBenchmark {

  /** The limiter under test. */
  @Param({LocalLimiters.DISTKIT_TOKEN_BUCKET, LocalLimiters.DISTKIT_GCRA, LocalLimiters.DISTKIT_GCRA_KEYED,
      LocalLimiters.BUCKET4J, LocalLimiters.GUAVA, LocalLimiters.RESILIENCE4J})
  public String implementation;

  /** How the limit compares with the call rate: {@code always-admit} or {@code mostly-deny}. */
  @Param({"always-admit", "mostly-deny"})
  public String load;

  private OneKeyLimiter limiter;

  /** Makes the limiter and its key. */
  @Setup(Level.Trial)
  public void setUp() {
    limiter = LocalLimiters.oneKey(implementation, Load.of(load).permitsPerSecond());
    limiter.tryAcquire(); // the key exists from here on: an existing key is what is measured
  }

  /**
   * One thread.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public boolean oneThread() {
    return limiter.tryAcquire();
  }

  /**
   * Two threads on the same key.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  @Threads(2)
  public boolean twoThreads() {
    return limiter.tryAcquire();
  }
}
