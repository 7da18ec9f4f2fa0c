package io.distkit.benchmarks.cache;

import io.distkit.benchmarks.profile.TrialFiguresProfiler;
import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
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
 * How long after a write is acknowledged another client's near cache still serves the old value: each call writes a
 * key through one client's cache, then reads it through another client's cache (which holds a copy of the old
 * value) until the new value comes back. {@link DelayRecorder} times the delay from the write's return, and the
 * {@link TrialFiguresProfiler} reports its percentiles over all measured iterations.
 */
@ReportGroup(
    title = "Near cache, invalidation delay",
    about = "Writes made visible per millisecond, and the *delay* of each: from the return of a write through one "
        + "client to the return of the first read through another client (a second cache of the same name, as in "
        + "a second JVM) that gives the new value, on a `redis-server` each trial starts for itself on loopback; "
        + "one thread. Each call writes one key (alternating two values) and then reads it in a loop, yielding "
        + "the CPU between reads (so the thread that receives invalidations is not starved on a small machine): "
        + "the reader serves its copy of the old value until the invalidation arrives, then reads Redis once, so "
        + "every delay includes that last round trip. `raw-get` is the floor: no copy, one `GET` per read. "
        + "distkit: `near(10_000, 10 min)` caches on two Jedis clients; Redisson: `RLocalCachedMap` (invalidate "
        + "on change, its default; cache size 10,000, LRU, `StringCodec`) on two Redisson clients. Percentiles "
        + "come from a histogram of every delay of all measured iterations together, with buckets 3.1% wide (a "
        + "percentile is its bucket's upper bound; the max is exact); `reads` counts the reader's reads per write, "
        + "the last included. commands/op is per write and its reads, counted by the server.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InvalidationLatencyBenchmark {

  /** How long a call waits for the new value before it fails: far past the near cache's reconciliation bound. */
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The pair under test. */
  @Param({InvalidationPairs.DISTKIT_NEAR, InvalidationPairs.RAW_GET, InvalidationPairs.REDISSON_LOCAL_CACHED_MAP})
  public String implementation;

  private BenchmarkRedis redis;
  private InvalidationPairs.Pair pair;
  private final DelayRecorder recorder = new DelayRecorder();
  private final String[] values = {"first value", "second value"};
  private int writes;

  /** Starts the trial's Redis and the two clients; the reader holds a copy of the key. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    redis = BenchmarkRedis.open(tag);
    try {
      pair = InvalidationPairs.create(implementation, redis, tag, tag + ":key", values[0]);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    TrialFiguresProfiler.publish(recorder);
  }

  /** Closes the clients, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    TrialFiguresProfiler.withdraw(recorder);
    try {
      pair.close();
    } finally {
      redis.close();
    }
  }

  /**
   * Writes the other value through the writer, then reads through the reader until it comes back.
   *
   * @return the value, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public String writeThenReadUntilSeen() {
    String wanted = values[++writes & 1];
    pair.write(wanted);
    long written = System.nanoTime();
    int reads = 1;
    while (!wanted.equals(pair.read())) {
      long waited = System.nanoTime() - written;
      if (waited > GIVE_UP_NANOS) {
        throw new IllegalStateException(implementation + " still served the old value "
            + TimeUnit.NANOSECONDS.toMillis(waited) + " ms after the write");
      }
      // on a small machine the reader's loop must not starve the thread that receives the invalidation
      Thread.yield();
      reads++;
    }
    recorder.seen(System.nanoTime() - written, reads);
    return wanted;
  }
}
