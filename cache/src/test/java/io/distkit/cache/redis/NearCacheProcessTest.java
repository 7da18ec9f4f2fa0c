package io.distkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.cache.Cache;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.HoldHistory;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Near caches in two JVM processes on one Redis (server time, real clocks): a writer in a child process, readers
 * here, every write and read recorded and checked; and a hot key missed by threads of both processes at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NearCacheProcessTest {

  /**
   * How long after a write was acknowledged a read may still miss it: the invalidation message's trip on a loaded
   * 2-CPU machine (sub-millisecond when idle; reads here go on while the child writes flat out).
   */
  private static final long BOUND_MICROS = 1_000_000;

  private final RedisServerProcess redis = RedisServers.standalone();
  private final String name = TestKeys.unique("near");

  /** One read: when it began, the key, and the value it saw (0 for none). */
  private record Read(String key, long startMicros, long seen) {}

  @Test
  void readsInOneProcessNeverMissAWriteOfTheOtherOnceTheDeliveryBoundHasPassedEvenAcrossACut() throws Exception {
    int keys = 20;
    try (FaultProxy proxy = FaultProxy.start(redis.hostAndPort());
        RedisClient client = RedisClient.builder().hostAndPort(proxy.hostAndPort())
            .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300)
                .build()).build();
        Cache<String, String> cache = RedisCache.<String, String>builder(name, RedisBackend.create(client),
            Codec.utf8().versioned(1)).near(10_000, Duration.ofMinutes(1)).build();
        ChildJvm writer = ChildJvm.start(NearCacheProcess.class, RedisServerProcess.HOST,
            Integer.toString(redis.port()), name, "write", "4000", Integer.toString(keys))) {
      await().atMost(Duration.ofSeconds(10)).until(((NearCache<?, ?>) cache)::listening);
      writer.awaitLine("ready"::equals, Duration.ofSeconds(60));
      ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
      AtomicInteger failed = new AtomicInteger();
      ExecutorService readers = Executors.newFixedThreadPool(2);
      List<Future<?>> running = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        running.add(readers.submit(() -> {
          while (writer.output().stream().noneMatch("done"::equals)) {
            String key = "k" + ThreadLocalRandom.current().nextInt(keys);
            long start = HoldHistory.nowMicros();
            try {
              Optional<String> seen = cache.getIfPresent(key);
              reads.add(new Read(key, start, seen.map(Long::parseLong).orElse(0L)));
            } catch (BackendUnavailableException e) {
              failed.incrementAndGet(); // cut off: no answer, so nothing to check
            }
          }
          return null;
        }));
      }
      // a third of the way in, Redis is cut off from this process for a second while the child goes on writing
      await().atMost(Duration.ofSeconds(60)).until(() -> writer.output().size() > 1_300);
      proxy.cut();
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
      proxy.heal();
      writer.awaitLine("done"::equals, Duration.ofMinutes(2));
      for (Future<?> reader : running) {
        reader.get(1, TimeUnit.MINUTES);
      }
      readers.shutdown();

      Map<String, TreeMap<Long, Long>> writesByAck = new HashMap<>();
      for (String line : writer.output()) {
        if (line.startsWith("write ")) {
          String[] f = line.split(" ");
          writesByAck.computeIfAbsent(f[1], k -> new TreeMap<>()).put(Long.parseLong(f[3]), Long.parseLong(f[2]));
        }
      }
      List<String> stale = new ArrayList<>();
      long checked = 0;
      for (Read read : reads) {
        TreeMap<Long, Long> writes = writesByAck.getOrDefault(read.key(), new TreeMap<>());
        Map.Entry<Long, Long> due = writes.floorEntry(read.startMicros() - BOUND_MICROS);
        if (due != null) {
          checked++;
          if (read.seen() < due.getValue()) {
            stale.add(read + " missed write " + due.getValue() + " acknowledged "
                + (read.startMicros() - due.getKey()) / 1000 + " ms before it began");
          }
        }
      }
      assertThat(writesByAck.values().stream().mapToInt(Map::size).sum()).isEqualTo(4000);
      assertThat(checked).as("reads checked against a write (of " + reads.size() + ")").isGreaterThan(1_000);
      assertThat(failed.get()).as("reads during the cut failed closed").isPositive();
      assertThat(stale).as("stale reads (of " + reads.size() + ")").isEmpty();
    }
  }

  @Test
  void aHotKeyMissedByFiftyThreadsInEachOfTwoProcessesIsLoadedOnceInTheFleet() throws Exception {
    long startAt = System.currentTimeMillis() + 3_000; // both processes' threads start together
    AtomicInteger loads = new AtomicInteger();
    try (RedisClient client = redis.newClient();
        Cache<String, String> cache = RedisCache.<String, String>builder(name, RedisBackend.create(client),
            Codec.utf8().versioned(1)).near(10_000, Duration.ofMinutes(1)).build();
        ChildJvm child = ChildJvm.start(NearCacheProcess.class, RedisServerProcess.HOST,
            Integer.toString(redis.port()), name, "stampede", "50", Long.toString(startAt))) {
      ExecutorService threads = Executors.newFixedThreadPool(50);
      List<Future<Optional<String>>> answers = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        answers.add(threads.submit(() -> {
          while (System.currentTimeMillis() < startAt) {
            Thread.onSpinWait();
          }
          return cache.get("hot", key -> {
            loads.incrementAndGet();
            Thread.sleep(300);
            return "computed here";
          });
        }));
      }
      List<String> seen = new ArrayList<>();
      for (Future<Optional<String>> answer : answers) {
        seen.add(answer.get(1, TimeUnit.MINUTES).orElseThrow());
      }
      threads.shutdown();
      child.awaitLine("done"::equals, Duration.ofMinutes(1));
      int childLoads = child.output().stream().filter(l -> l.startsWith("loads ")).mapToInt(
          l -> Integer.parseInt(l.substring("loads ".length()))).sum();
      assertThat(loads.get() + childLoads).as("loads in the fleet (here " + loads + ", child " + childLoads + ")")
          .isEqualTo(1);
      assertThat(seen).as("every caller here got the one value").allMatch(seen.get(0)::equals);
    }
  }
}
