package io.distkit.benchmarks.ratelimit;

import io.distkit.benchmarks.profile.KeyFootprint;
import io.distkit.benchmarks.report.ReportGroup;
import java.util.concurrent.ThreadLocalRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * In-process limiters over many distinct keys: throughput of decisions on random keys, and heap per key.
 */
@ReportGroup(
    title = "Local rate limiter, 1,000,000 keys",
    about = "Decisions per microsecond for one permit of a key drawn uniformly at random from 1,000,000 keys "
        + "that all exist (each was asked once in setup), 1 and 2 threads. Each key has bursts of 1,000,000 "
        + "refilled at 1 per minute, so every call is granted and no key is forgotten during the run. Heap per "
        + "key: the growth of the used heap after full GCs from before the 1,000,000 keys were first asked to "
        + "after (the key strings themselves are not counted). Both keep at most 2,000,000 keys and forget a "
        + "key 1 s after it is full again. Bucket4j's proxy is built per call, as its documentation shows.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LocalLimiterManyKeysBenchmark {

  /** The limiter under test. */
  @Param({LocalLimiters.DISTKIT_TOKEN_BUCKET, LocalLimiters.DISTKIT_GCRA, LocalLimiters.BUCKET4J_CAFFEINE})
  public String implementation;

  /** How many distinct keys. */
  @Param("1000000")
  public int keys;

  private KeyedLimiter limiter;

  /** Makes the keys and the limiter, asks each key once, and measures the heap per key. */
  @Setup(Level.Trial)
  public void setUp() {
    String[] names = new String[keys];
    for (int i = 0; i < keys; i++) {
      names[i] = "user-" + i;
    }
    limiter = LocalLimiters.manyKeys(implementation, names);
    long before = KeyFootprint.usedHeapAfterGc();
    for (int i = 0; i < keys; i++) {
      limiter.tryAcquire(i);
    }
    KeyFootprint.publish((KeyFootprint.usedHeapAfterGc() - before) / (double) keys);
  }

  /** Forgets the trial's figure. */
  @TearDown(Level.Trial)
  public void tearDown() {
    KeyFootprint.clear();
    limiter.close();
  }

  /**
   * One thread.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public boolean oneThread() {
    return limiter.tryAcquire(ThreadLocalRandom.current().nextInt(keys));
  }

  /**
   * Two threads.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  @Threads(2)
  public boolean twoThreads() {
    return limiter.tryAcquire(ThreadLocalRandom.current().nextInt(keys));
  }
}
