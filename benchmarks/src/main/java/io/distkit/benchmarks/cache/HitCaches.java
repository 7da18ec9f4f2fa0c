package io.distkit.benchmarks.cache;

import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.distkit.benchmarks.redis.BenchmarkRedis;
import io.distkit.cache.Cache;
import io.distkit.cache.CacheLoader;
import io.distkit.cache.local.LocalCache;
import io.distkit.cache.redis.RedisCache;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * The caches whose hit is measured by {@link CacheHitBenchmark}, each bounded at {@value #MAXIMUM_SIZE} entries,
 * holding every entry of the trial with a 10-minute time to live where it takes one, every entry read once before
 * the measurement (so a read is a hit in this JVM).
 */
public final class HitCaches {

  /** distkit's {@code LocalCache}, {@code getIfPresent}. */
  public static final String DISTKIT_LOCAL = "distkit-local";

  /** distkit's {@code LocalCache}, {@code get(key, loader)} on a hit. */
  public static final String DISTKIT_LOCAL_LOADER = "distkit-local-loader";

  /** distkit's near cache ({@code RedisCache.builder(...).near(...)}), {@code getIfPresent} on a copied key. */
  public static final String DISTKIT_NEAR = "distkit-near";

  /** Caffeine bounded by size only: the least a cache in the JVM does. */
  public static final String CAFFEINE = "caffeine";

  /** Caffeine bounded by size, every entry expiring {@link #TTL} after it was written ({@code expireAfterWrite}). */
  public static final String CAFFEINE_TTL = "caffeine-ttl";

  /**
   * Caffeine bounded by size, each entry expiring after a time to live of its own ({@code expireAfter}, variable
   * expiry), what a Caffeine user writes to give entries TTLs of their own.
   */
  public static final String CAFFEINE_EXPIRY = "caffeine-expiry";

  /** Redisson's {@code RLocalCachedMap}: a copy in the JVM of a Redis hash. */
  public static final String REDISSON_LOCAL_CACHED_MAP = "redisson-local-cached-map";

  /** Every cache's bound, in entries (distkit's local default). */
  public static final int MAXIMUM_SIZE = 10_000;

  /** The time to live of entries and copies. */
  public static final Duration TTL = Duration.ofMinutes(10);

  /** distkit's loader for {@link #DISTKIT_LOCAL_LOADER}: a hit never calls it. */
  private static final CacheLoader<String, String> NEVER = key -> {
    throw new IllegalStateException("a hit loaded " + key);
  };

  private HitCaches() {}

  /**
   * Whether an implementation needs a Redis.
   *
   * @param implementation one of the constants of this class
   * @return true for the near caches
   */
  public static boolean needsRedis(String implementation) {
    return implementation.equals(DISTKIT_NEAR) || implementation.equals(REDISSON_LOCAL_CACHED_MAP);
  }

  /**
   * A cache holding {@code entries}, each already read once.
   *
   * @param implementation one of the constants of this class
   * @param entries the entries
   * @param name a name no other trial uses
   * @param redis the trial's Redis, for the near caches
   * @return the cache; close it before the Redis
   */
  public static KeyedCache create(String implementation, Entries entries, String name,
      @Nullable BenchmarkRedis redis) {
    String[] keys = entries.keys();
    KeyedCache cache = switch (implementation) {
      case DISTKIT_LOCAL, DISTKIT_LOCAL_LOADER -> {
        Cache<String, String> local = LocalCache.<String, String>builder(name).maximumSize(MAXIMUM_SIZE)
            .defaultTtl(TTL).build();
        yield implementation.equals(DISTKIT_LOCAL)
            ? of(entries, local, key -> local.getIfPresent(keys[key]).orElse(null))
            : of(entries, local, key -> local.get(keys[key], NEVER).orElse(null));
      }
      case DISTKIT_NEAR -> {
        BenchmarkRedis server = Objects.requireNonNull(redis, "redis");
        Cache<String, String> near = near(name, server.client());
        awaitNearSubscribers(server, name, 1);
        yield of(entries, near, key -> near.getIfPresent(keys[key]).orElse(null));
      }
      case CAFFEINE, CAFFEINE_TTL, CAFFEINE_EXPIRY -> {
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(MAXIMUM_SIZE);
        com.github.benmanes.caffeine.cache.Cache<String, String> caffeine = switch (implementation) {
          case CAFFEINE -> builder.build();
          case CAFFEINE_TTL -> builder.expireAfterWrite(TTL).build();
          default -> builder.expireAfter(Expiry.<String, String>writing((k, v) -> TTL)).build();
        };
        yield new KeyedCache() {
          @Override
          public @Nullable Object get(int key) {
            return caffeine.getIfPresent(keys[key]);
          }

          @Override
          public void put(int key) {
            caffeine.put(keys[key], entries.values()[key]);
          }

          @Override
          public void close() {
            caffeine.invalidateAll();
          }
        };
      }
      case REDISSON_LOCAL_CACHED_MAP -> {
        RedissonClient redisson = redisson(Objects.requireNonNull(redis, "redis"));
        RLocalCachedMap<String, String> map = redisson.getLocalCachedMap(localCachedMapOptions(name));
        yield new KeyedCache() {
          @Override
          public @Nullable Object get(int key) {
            return map.get(keys[key]);
          }

          @Override
          public void put(int key) {
            map.fastPut(keys[key], entries.values()[key]);
          }

          @Override
          public void close() {
            redisson.shutdown();
          }
        };
      }
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a cache of "
          + "this benchmark");
    };
    return cache.filledWith(entries, implementation);
  }

  /** distkit's near cache of {@code name} on {@code client}, entries and copies living {@link #TTL}. */
  static Cache<String, String> near(String name, RedisClient client) {
    return RedisCache.<String, String>builder(name, RedisBackend.create(client), Codec.utf8().versioned(1))
        .defaultTtl(TTL).near(MAXIMUM_SIZE, TTL).build();
  }

  /**
   * Waits until {@code count} near caches of {@code name} subscribe to its invalidation channel (named as its
   * documentation says): copies are used only while it is subscribed.
   */
  static void awaitNearSubscribers(BenchmarkRedis redis, String name, int count) {
    String channel = "distkit:cache:{" + name + "}:near";
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      List<?> reply = (List<?>) redis.client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel);
      return (Long) reply.get(1) >= count;
    });
  }

  /** A Redisson client of the trial's Redis, with Redisson's defaults. */
  static RedissonClient redisson(BenchmarkRedis redis) {
    Config config = new Config();
    config.useSingleServer().setAddress(redis.uri().toString());
    return Redisson.create(config);
  }

  /** Redisson's local cached map as measured here: 10,000 entries, LRU, {@link #TTL}, strings. */
  static LocalCachedMapOptions<String, String> localCachedMapOptions(String name) {
    return LocalCachedMapOptions.<String, String>name(name)
        .codec(StringCodec.INSTANCE)
        .cacheSize(MAXIMUM_SIZE)
        .evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
        .timeToLive(TTL);
  }

  /** A read of one of distkit's caches, by index. */
  @FunctionalInterface
  private interface Read {
    @Nullable Object get(int key);
  }

  private static KeyedCache of(Entries entries, Cache<String, String> cache, Read read) {
    return new KeyedCache() {
      @Override
      public @Nullable Object get(int key) {
        return read.get(key);
      }

      @Override
      public void put(int key) {
        cache.put(entries.keys()[key], entries.values()[key]);
      }

      @Override
      public void close() {
        cache.close();
      }
    };
  }
}
