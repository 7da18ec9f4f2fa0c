package io.distkit.benchmarks.ratelimit;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
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
 * Redis-backed limiters on a redis-server of the trial's own, one hot key and 10,000 random keys, 1 and 4
 * threads, beside the raw round trip.
 */
@ReportGroup(
    title = "Redis rate limiter",
    about = "Decisions per millisecond for one permit, on a `redis-server` each trial starts for itself on "
        + "loopback (same binary and settings for every implementation), by 1 and 4 threads; `keys=1` is "
        + "one hot key, `keys=10000` a key drawn at random per call. The limit (10^9/s) grants every call, so "
        + "every implementation takes its write path. `raw-evalsha` is the floor: one `EVALSHA` of "
        + "`return redis.call('INCR', KEYS[1])` straight through Jedis. commands/op is counted by the server "
        + "(`INFO commandstats` before and after each iteration). distkit uses its defaults (server time, "
        + "fail closed); Bucket4j its Jedis CAS proxy manager, built per call; Redisson its own client with "
        + "defaults, one `RRateLimiter` per key whose rate was set in setup.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisLimiterBenchmark {

  /** The limiter under test. */
  @Param({RedisLimiters.DISTKIT_TOKEN_BUCKET, RedisLimiters.DISTKIT_GCRA, RedisLimiters.RAW_EVALSHA,
      RedisLimiters.BUCKET4J_JEDIS, RedisLimiters.REDISSON})
  public String implementation;

  /** How many distinct keys: 1 is one hot key. */
  @Param({"1", "10000"})
  public int keys;

  private BenchmarkRedis redis;
  private KeyedLimiter limiter;

  /** Starts the trial's Redis and makes the limiter. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    redis = BenchmarkRedis.open(tag);
    String[] names = new String[keys];
    for (int i = 0; i < keys; i++) {
      names[i] = tag + ":user-" + i;
    }
    limiter = RedisLimiters.create(implementation, redis, names, Load.ALWAYS_ADMIT.permitsPerSecond());
  }

  /** Closes the limiter, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      limiter.close();
    } finally {
      redis.close();
    }
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
   * Four threads.
   *
   * @return the decision, consumed by JMH
   */
  @Benchmark
  @Threads(4)
  public boolean fourThreads() {
    return limiter.tryAcquire(ThreadLocalRandom.current().nextInt(keys));
  }
}
