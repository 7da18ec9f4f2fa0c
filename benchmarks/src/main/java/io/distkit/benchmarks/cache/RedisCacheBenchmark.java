package io.distkit.benchmarks.cache;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * A cache read (a hit in Redis) or write over one round trip: distkit's Redis cache beside raw Jedis, Redisson's
 * {@code RBucket} and {@code RMapCache}, on a redis-server of the trial's own, 1 and 4 threads.
 */
@ReportGroup(
    title = "Redis cache, read and write",
    about = "Operations per millisecond on a `redis-server` each trial starts for itself on loopback, by 1 and 4 "
        + "threads, each call on one of 1,000 keys drawn at random, all written before the measurement with a "
        + "10-minute TTL and 64-character string values. `op=get` reads a key (a hit in Redis), `op=put` "
        + "overwrites it with a 10-minute TTL. `distkit-redis` is `RedisCache` without a near cache "
        + "(`getIfPresent(key).orElse(null)`, `put(key, value)`; UTF-8 codec with a format version); `raw-jedis` "
        + "is the floor, `GET` and `SET ... PX` of the bare key through the same Jedis client; Redisson uses its "
        + "own client with defaults and `StringCodec`: `RBucket` (one per key, made in setup; `get()`, "
        + "`set(value, ttl)`) and `RMapCache` (`get(key)`, `fastPut(key, value, ttl)`). commands/op is counted by "
        + "the server (`INFO commandstats` before and after each iteration).")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RedisCacheBenchmark {

  /** How many entries. */
  public static final int ENTRIES = 1000;

  /** The cache under test. */
  @Param({RedisCaches.DISTKIT_REDIS, RedisCaches.RAW_JEDIS, RedisCaches.REDISSON_BUCKET,
      RedisCaches.REDISSON_MAP_CACHE})
  public String implementation;

  /** {@code get} (a read that hits) or {@code put} (an overwrite). */
  @Param({"get", "put"})
  public String op;

  private BenchmarkRedis redis;
  private KeyedCache cache;
  private boolean read;

  /** Starts the trial's Redis and fills the cache. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    read = switch (op) {
      case "get" -> true;
      case "put" -> false;
      default -> throw new IllegalArgumentException("op ('" + op + "') must be get or put");
    };
    redis = BenchmarkRedis.open(tag);
    try {
      cache = RedisCaches.create(implementation, Entries.of(tag, ENTRIES), tag, redis);
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
  }

  /** Closes the cache, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      cache.close();
    } finally {
      redis.close();
    }
  }

  private @Nullable Object call() {
    int key = ThreadLocalRandom.current().nextInt(ENTRIES);
    if (read) {
      return cache.get(key);
    }
    cache.put(key);
    return null;
  }

  /**
   * One thread.
   *
   * @return the value read, or null after a write; consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public @Nullable Object oneThread() {
    return call();
  }

  /**
   * Four threads.
   *
   * @return the value read, or null after a write; consumed by JMH
   */
  @Benchmark
  @Threads(4)
  public @Nullable Object fourThreads() {
    return call();
  }
}
