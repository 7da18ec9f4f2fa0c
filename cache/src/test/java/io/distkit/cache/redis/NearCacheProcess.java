package io.distkit.cache.redis;

import io.distkit.cache.Cache;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.HoldHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A near cache in a JVM of its own, on Redis with server time, for the two-process tests.
 *
 * <p>Arguments: {@code host port cacheName write <count> <keys>}: puts values {@code 1..count} round robin over keys
 * {@code k0..k<keys-1>}, printing {@code write <key> <value> <ackMicros>} after each put returns
 * ({@link HoldHistory#nowMicros()}), about one a millisecond, then {@code done}. Or {@code host port cacheName stampede <threads>
 * <startAtMillis>}: at that wall-clock time, {@code threads} threads get the key {@code hot} with a loader that takes
 * 300 ms, then it prints {@code loads <n>} and {@code done}.
 */
public final class NearCacheProcess {

  private NearCacheProcess() {}

  public static void main(String[] args) throws Exception {
    ChildJvm.exitWhenParentExits();
    RedisClient client = RedisClient.builder().hostAndPort(new HostAndPort(args[0], Integer.parseInt(args[1])))
        .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(2000).build()).build();
    Cache<String, String> cache = RedisCache.<String, String>builder(args[2], RedisBackend.create(client),
        Codec.utf8().versioned(1)).near(10_000, Duration.ofMinutes(1)).build();
    if (args[3].equals("write")) {
      int count = Integer.parseInt(args[4]);
      int keys = Integer.parseInt(args[5]);
      System.out.println("ready");
      for (int i = 1; i <= count; i++) {
        String key = "k" + (i % keys);
        cache.put(key, Integer.toString(i));
        System.out.println("write " + key + " " + i + " " + HoldHistory.nowMicros());
        Thread.sleep(1); // paced: the run lasts seconds, longer than the bound the reads are checked against
      }
    } else {
      int threads = Integer.parseInt(args[4]);
      long startAt = Long.parseLong(args[5]);
      AtomicInteger loads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> calls = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        calls.add(pool.submit(() -> {
          while (System.currentTimeMillis() < startAt) {
            Thread.onSpinWait();
          }
          return cache.get("hot", key -> {
            loads.incrementAndGet();
            Thread.sleep(300);
            return "computed by the child";
          });
        }));
      }
      for (Future<?> call : calls) {
        call.get();
      }
      pool.shutdown();
      System.out.println("loads " + loads.get());
    }
    System.out.println("done");
    cache.close();
    client.close();
  }
}
