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
 * A cache hit served in this JVM: distkit's local cache and near cache beside Caffeine, Redisson's
 * {@code RLocalCachedMap}, 1 and 2 threads.
 */
@ReportGroup(
    title = "Cache hit in this JVM",
    about = "Hits per microsecond on a cache holding 1,024 entries (64-character string values), bounded at "
        + "10,000, every entry read once before the measurement; each thread walks the keys from a random start, "
        + "1 and 2 threads sharing the cache. `distkit-local` is `LocalCache.getIfPresent(key).orElse(null)`, "
        + "`distkit-local-loader` `get(key, loader).orElse(null)` (the loader never runs), `distkit-near` "
        + "`getIfPresent` on a Redis cache built with `near(10_000, 10 min)` whose copy of every key is in the JVM. "
        + "Peers, with the same bound: `caffeine` (`maximumSize` only), `caffeine-ttl` (and `expireAfterWrite`, "
        + "one TTL for all), `caffeine-expiry` (and a TTL per entry, `expireAfter`, what a Caffeine user "
        + "writes for a `put(key, value, ttl)`; distkit checks each entry's deadline itself), Redisson's `RLocalCachedMap` (cache "
        + "size 10,000, LRU, 10 min TTL, `StringCodec`). Jedis' client-side cache is not here: it needs Redis 7.4 "
        + "or later. The near caches run on a `redis-server` of the trial's own; commands/op counts what their hits "
        + "sent to it.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CacheHitBenchmark {

  /** How many entries every cache holds: a power of two, so a thread's cursor wraps with a mask. */
  public static final int ENTRIES = 1024;

  /** The cache under test. */
  @Param({HitCaches.DISTKIT_LOCAL, HitCaches.DISTKIT_LOCAL_LOADER, HitCaches.DISTKIT_NEAR, HitCaches.CAFFEINE,
      HitCaches.CAFFEINE_TTL, HitCaches.CAFFEINE_EXPIRY, HitCaches.REDISSON_LOCAL_CACHED_MAP})
  public String implementation;

  private @Nullable BenchmarkRedis redis;
  private KeyedCache cache;

  /** Where a thread is in the keys. */
  @State(Scope.Thread)
  public static class Cursor {
    int next = ThreadLocalRandom.current().nextInt(ENTRIES);
  }

  /** Starts the trial's Redis (for the near caches) and fills the cache. */
  @Setup(Level.Trial)
  public void setUp() {
    String tag = TestKeys.unique("bench");
    if (HitCaches.needsRedis(implementation)) {
      redis = BenchmarkRedis.open(tag);
    }
    try {
      cache = HitCaches.create(implementation, Entries.of(tag, ENTRIES), tag, redis);
    } catch (RuntimeException | Error e) {
      if (redis != null) {
        redis.close();
      }
      throw e;
    }
  }

  /** Closes the cache, then the Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    try {
      cache.close();
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  /**
   * One thread.
   *
   * @param cursor the thread's place in the keys
   * @return the value, consumed by JMH
   */
  @Benchmark
  @Threads(1)
  public @Nullable Object oneThread(Cursor cursor) {
    return cache.get(cursor.next++ & (ENTRIES - 1));
  }

  /**
   * Two threads sharing the cache.
   *
   * @param cursor the thread's place in the keys
   * @return the value, consumed by JMH
   */
  @Benchmark
  @Threads(2)
  public @Nullable Object twoThreads(Cursor cursor) {
    return cache.get(cursor.next++ & (ENTRIES - 1));
  }
}
