package io.distkit.benchmarks.cache;

import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.cache.Cache;
import io.distkit.cache.redis.RedisCache;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RBucket;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The Redis caches whose reads and writes {@link RedisCacheBenchmark} measures, on the trial's Redis, every entry
 * written before the measurement with a 10-minute time to live (so a read is a hit in Redis). distkit and the raw
 * baseline share the trial's pooled Jedis client; Redisson brings its own Netty client, with its defaults and
 * {@code StringCodec} (the values are strings, as distkit's UTF-8 codec writes them).
 */
public final class RedisCaches {

  /** distkit's {@code RedisCache} (no near cache): {@code getIfPresent}, {@code put}. */
  public static final String DISTKIT_REDIS = "distkit-redis";

  /** The floor: {@code GET} and {@code SET ... PX} of the bare key, straight through Jedis. */
  public static final String RAW_JEDIS = "raw-jedis";

  /** Redisson's {@code RBucket}, one per key (made in setup): {@code get()}, {@code set(value, ttl)}. */
  public static final String REDISSON_BUCKET = "redisson-bucket";

  /** Redisson's {@code RMapCache} (a hash with per-entry TTLs): {@code get(key)}, {@code fastPut(key, v, ttl)}. */
  public static final String REDISSON_MAP_CACHE = "redisson-map-cache";

  /** The time to live of every entry written. */
  public static final Duration TTL = Duration.ofMinutes(10);

  private RedisCaches() {}

  /**
   * A cache holding {@code entries}.
   *
   * @param implementation one of the constants of this class
   * @param entries the entries
   * @param name a name no other trial uses
   * @param redis the trial's Redis
   * @return the cache; close it before the Redis
   */
  public static KeyedCache create(String implementation, Entries entries, String name, BenchmarkRedis redis) {
    String[] keys = entries.keys();
    String[] values = entries.values();
    KeyedCache cache = switch (implementation) {
      case DISTKIT_REDIS -> {
        Cache<String, String> distkit = RedisCache.<String, String>builder(name,
            RedisBackend.create(redis.client()), Codec.utf8().versioned(1)).defaultTtl(TTL).build();
        yield new KeyedCache() {
          @Override
          public @Nullable Object get(int key) {
            return distkit.getIfPresent(keys[key]).orElse(null);
          }

          @Override
          public void put(int key) {
            distkit.put(keys[key], values[key]);
          }

          @Override
          public void close() {
            distkit.close();
          }
        };
      }
      case RAW_JEDIS -> {
        RedisClient jedis = redis.client();
        byte[][] rawKeys = new byte[keys.length][];
        byte[][] rawValues = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
          rawKeys[i] = keys[i].getBytes(StandardCharsets.UTF_8);
          rawValues[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        SetParams ttl = SetParams.setParams().px(TTL.toMillis());
        yield new KeyedCache() {
          @Override
          public @Nullable Object get(int key) {
            byte[] value = jedis.get(rawKeys[key]);
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
          }

          @Override
          public void put(int key) {
            jedis.set(rawKeys[key], rawValues[key], ttl);
          }

          @Override
          public void close() {}
        };
      }
      case REDISSON_BUCKET, REDISSON_MAP_CACHE -> {
        RedissonClient redisson = HitCaches.redisson(redis);
        if (implementation.equals(REDISSON_BUCKET)) {
          @SuppressWarnings("unchecked")
          RBucket<String>[] buckets = new RBucket[keys.length];
          for (int i = 0; i < keys.length; i++) {
            buckets[i] = redisson.getBucket(keys[i], StringCodec.INSTANCE);
          }
          yield new KeyedCache() {
            @Override
            public @Nullable Object get(int key) {
              return buckets[key].get();
            }

            @Override
            public void put(int key) {
              buckets[key].set(values[key], TTL);
            }

            @Override
            public void close() {
              redisson.shutdown();
            }
          };
        }
        RMapCache<String, String> map = redisson.getMapCache(name, StringCodec.INSTANCE);
        long ttlMillis = TTL.toMillis();
        yield new KeyedCache() {
          @Override
          public @Nullable Object get(int key) {
            return map.get(keys[key]);
          }

          @Override
          public void put(int key) {
            map.fastPut(keys[key], values[key], ttlMillis, TimeUnit.MILLISECONDS);
          }

          @Override
          public void close() {
            map.destroy(); // stops its eviction task
            redisson.shutdown();
          }
        };
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a Redis "
          + "cache of this benchmark");
    };
    return cache.filledWith(entries, implementation);
  }
}
