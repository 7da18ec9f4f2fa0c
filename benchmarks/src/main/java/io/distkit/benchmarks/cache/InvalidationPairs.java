package io.distkit.benchmarks.cache;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.cache.Cache;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Two clients of one Redis, as two JVMs would be: one writes a key, the other reads it, each through a cache of its
 * own (the same name), for {@link InvalidationLatencyBenchmark}.
 */
public final class InvalidationPairs {

  /** distkit's near caches ({@code RedisCache.builder(...).near(...)}), one per client. */
  public static final String DISTKIT_NEAR = HitCaches.DISTKIT_NEAR;

  /** Redisson's {@code RLocalCachedMap}, one per client (its own client each; invalidate on change, its default). */
  public static final String REDISSON_LOCAL_CACHED_MAP = HitCaches.REDISSON_LOCAL_CACHED_MAP;

  /** The floor: no copy in the reader, which reads the key with a plain {@code GET} every time. */
  public static final String RAW_GET = "raw-get";

  private InvalidationPairs() {}

  /** A writer and a reader of one key. */
  public interface Pair extends AutoCloseable {

    /**
     * Writes the key through the writer's cache; returns once the write is acknowledged.
     *
     * @param value the new value
     */
    void write(String value);

    /**
     * Reads the key through the reader's cache.
     *
     * @return the value it serves
     */
    @Nullable String read();

    /** Closes both sides' clients. */
    @Override
    void close();
  }

  /**
   * A writer and a reader, the reader holding a copy of {@code value} under {@code key}.
   *
   * @param implementation one of the constants of this class
   * @param redis the trial's Redis
   * @param name a name no other trial uses
   * @param key the key
   * @param value its first value
   * @return the pair; close it before the Redis
   */
  public static Pair create(String implementation, BenchmarkRedis redis, String name, String key, String value) {
    Pair pair = switch (implementation) {
      case DISTKIT_NEAR -> {
        RedisClient writerClient = redis.newClient();
        RedisClient readerClient = redis.newClient();
        Cache<String, String> writer = HitCaches.near(name, writerClient);
        Cache<String, String> reader = HitCaches.near(name, readerClient);
        HitCaches.awaitNearSubscribers(redis, name, 2);
        yield new Pair() {
          @Override
          public void write(String newValue) {
            writer.put(key, newValue);
          }

          @Override
          public @Nullable String read() {
            return reader.getIfPresent(key).orElse(null);
          }

          @Override
          public void close() {
            reader.close();
            writer.close();
            readerClient.close();
            writerClient.close();
          }
        };
      }
      case REDISSON_LOCAL_CACHED_MAP -> {
        RedissonClient writerClient = HitCaches.redisson(redis);
        RedissonClient readerClient = HitCaches.redisson(redis);
        RLocalCachedMap<String, String> writer =
            writerClient.getLocalCachedMap(HitCaches.localCachedMapOptions(name));
        RLocalCachedMap<String, String> reader =
            readerClient.getLocalCachedMap(HitCaches.localCachedMapOptions(name));
        yield new Pair() {
          @Override
          public void write(String newValue) {
            writer.fastPut(key, newValue);
          }

          @Override
          public @Nullable String read() {
            return reader.get(key);
          }

          @Override
          public void close() {
            writerClient.shutdown();
            readerClient.shutdown();
          }
        };
      }
      case RAW_GET -> {
        RedisClient jedis = redis.client();
        SetParams ttl = SetParams.setParams().px(HitCaches.TTL.toMillis());
        yield new Pair() {
          @Override
          public void write(String newValue) {
            jedis.set(key, newValue, ttl);
          }

          @Override
          public @Nullable String read() {
            return jedis.get(key);
          }

          @Override
          public void close() {}
        };
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a pair of "
          + "this benchmark");
    };
    pair.write(value);
    if (!value.equals(pair.read())) {
      pair.close();
      throw new IllegalStateException(implementation + " did not return the value of " + key);
    }
    return pair;
  }
}
