package io.distkit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Cache} promises: run by the local cache's test and the Redis caches' (standalone, Cluster).
 * Time is a {@link ManualClock} where the implementation reads it; {@link #passTime} also lets a Redis server's
 * own clock pass a time to live.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class CacheContractTest {

  protected final ManualClock clock = new ManualClock();
  protected final ManualScheduler scheduler = new ManualScheduler(clock);
  protected final String name = TestKeys.unique("cache");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  /**
   * A builder of the cache under test, named {@code name}, of string keys and values, on the test's clock and
   * scheduler.
   *
   * @param name the cache's name
   * @return the builder
   */
  protected abstract CacheBuilder<String, String, ?> newBuilder(String name);

  /**
   * Lets {@code duration} pass for the cache's entries: the manual clock, and a Redis server's clock too.
   *
   * @param duration how long
   */
  protected void passTime(Duration duration) {
    clock.advance(duration);
  }

  protected Cache<String, String> open(CacheBuilder<String, String, ?> builder) {
    Cache<String, String> cache = builder.clock(clock).build();
    opened.add(cache);
    return cache;
  }

  protected Cache<String, String> open() {
    return open(newBuilder(name));
  }

  protected <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  @AfterEach
  void closeAll() throws Exception {
    callers.shutdownNow();
    for (int i = opened.size() - 1; i >= 0; i--) { // a cache before the client it was built on
      opened.get(i).close();
    }
    scheduler.close();
  }

  @Test
  void aPutValueIsReadBackAndCountedAsAHit() {
    Cache<String, String> cache = open();
    assertThat(cache.name()).isEqualTo(name);
    assertThat(cache.getIfPresent("k")).isEmpty();
    cache.put("k", "v");
    assertThat(cache.getIfPresent("k")).contains("v");
    cache.put("k", "w");
    assertThat(cache.getIfPresent("k")).as("the last put wins").contains("w");
    assertThat(cache.stats()).isEqualTo(new CacheStats(2, 1, 0, 0, 0, 0, 0));
    assertThat(cache.stats().hitRate()).isEqualTo(2.0 / 3);
  }

  @Test
  void aLoaderRunsOnAMissOnlyAndItsValueIsCached() {
    Cache<String, String> cache = open();
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.get("k", key -> "loaded " + key + " #" + loads.incrementAndGet())).contains("loaded k #1");
    assertThat(cache.get("k", key -> "loaded " + key + " #" + loads.incrementAndGet())).contains("loaded k #1");
    assertThat(cache.getIfPresent("k")).contains("loaded k #1");
    assertThat(loads).hasValue(1);
    CacheStats stats = cache.stats();
    assertThat(stats.loads()).isEqualTo(1);
    assertThat(stats.hits()).isEqualTo(2);
    assertThat(stats.misses()).isEqualTo(1);
  }

  @Test
  void notFoundIsRememberedOnlyWithANegativeTtlAndOnlyForIt() {
    Cache<String, String> plain = open();
    AtomicInteger loads = new AtomicInteger();
    CacheLoader<String, String> nothing = key -> {
      loads.incrementAndGet();
      return null;
    };
    assertThat(plain.get("missing", nothing)).isEmpty();
    assertThat(plain.get("missing", nothing)).isEmpty();
    assertThat(loads).as("no negative TTL: every miss asks the loader").hasValue(2);

    Cache<String, String> negative = open(newBuilder(name + "-negative").negativeTtl(Duration.ofMillis(300)));
    loads.set(0);
    assertThat(negative.get("missing", nothing)).isEmpty();
    assertThat(negative.get("missing", nothing)).isEmpty();
    assertThat(negative.getIfPresent("missing")).isEmpty();
    assertThat(loads).as("the absence is remembered").hasValue(1);
    assertThat(negative.stats().hits()).isEqualTo(2);
    passTime(Duration.ofMillis(400));
    assertThat(negative.get("missing", nothing)).isEmpty();
    assertThat(loads).as("until the negative TTL ran out").hasValue(2);
  }

  @Test
  void entriesExpireAtTheirOwnTimeToLive() {
    Cache<String, String> cache = open(newBuilder(name).defaultTtl(Duration.ofMinutes(10)));
    cache.put("short", "s", Duration.ofMillis(300));
    cache.put("long", "l");
    assertThat(cache.getIfPresent("short")).contains("s");
    passTime(Duration.ofMillis(400));
    assertThat(cache.getIfPresent("short")).isEmpty();
    assertThat(cache.getIfPresent("long")).contains("l");
  }

  @Test
  void theDefaultTtlAppliesToPutsAndLoads() {
    Cache<String, String> cache = open(newBuilder(name).defaultTtl(Duration.ofMillis(300)));
    cache.put("put", "p");
    assertThat(cache.get("loaded", key -> "l")).contains("l");
    passTime(Duration.ofMillis(400));
    assertThat(cache.getIfPresent("put")).isEmpty();
    assertThat(cache.getIfPresent("loaded")).isEmpty();
  }

  @Test
  void getAllAndPutAllWorkOnManyKeysAtOnce() {
    Cache<String, String> cache = open();
    Map<String, String> entries = new java.util.HashMap<>();
    for (int i = 0; i < 200; i++) {
      entries.put("key-" + i, "value-" + i);
    }
    cache.putAll(entries);
    List<String> wanted = new ArrayList<>(entries.keySet());
    wanted.add("absent-1");
    wanted.add("key-7"); // twice
    Map<String, String> found = cache.getAll(wanted);
    assertThat(found).isEqualTo(entries);
    assertThat(cache.stats().hits()).isEqualTo(200);
    assertThat(cache.stats().misses()).isEqualTo(1);
    assertThat(cache.getAll(List.of())).isEmpty();
  }

  @Test
  void invalidateDropsOneEntryAndInvalidateAllDropsEveryEntry() {
    Cache<String, String> cache = open(newBuilder(name).negativeTtl(Duration.ofMinutes(1)));
    cache.put("a", "1");
    cache.put("b", "2");
    assertThat(cache.get("nothing", key -> null)).isEmpty();
    cache.invalidate("a");
    assertThat(cache.getIfPresent("a")).isEmpty();
    assertThat(cache.getIfPresent("b")).contains("2");
    cache.invalidateAll();
    assertThat(cache.getIfPresent("b")).isEmpty();
    assertThat(cache.get("nothing", key -> "found now")).as("the absence went too").contains("found now");
    cache.put("b", "3");
    assertThat(cache.getIfPresent("b")).as("written after the invalidation").contains("3");
  }

  @Test
  void concurrentMissesOfOneKeyLoadOnce() throws Exception {
    Cache<String, String> cache = open();
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    int callersCount = 16;
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Future<Optional<String>>> results = new ArrayList<>();
    for (int i = 0; i < callersCount; i++) {
      results.add(callers.submit(() -> {
        threads.add(Thread.currentThread());
        return cache.get("hot", key -> {
          loads.incrementAndGet();
          release.await();
          return "computed once";
        });
      }));
    }
    // every caller waits: one in the loader, the others for its outcome (none still reading)
    await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == callersCount && threads.stream()
        .allMatch(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.BLOCKED));
    release.countDown();
    for (Future<Optional<String>> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).contains("computed once");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aFailingLoaderCachesNothingAndTheNextCallLoadsAgain() {
    Cache<String, String> cache = open(newBuilder(name).negativeTtl(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> cache.get("k", key -> {
      throw new java.io.IOException("database down");
    })).isInstanceOf(CacheLoadException.class).hasMessageContaining(name).hasMessageContaining("k")
        .hasRootCauseInstanceOf(java.io.IOException.class);
    assertThat(cache.getIfPresent("k")).isEmpty();
    assertThat(cache.get("k", key -> "back")).contains("back");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void aListenerHearsLoadsAndFailedLoads() {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    Cache<String, String> cache = open(newBuilder(name).listener(new CacheListener() {
      @Override
      public void onLoad(String cacheName, Object key, long nanos, boolean found) {
        heard.add(cacheName.equals(name) + " load " + key + " found " + found);
      }

      @Override
      public void onLoadFailed(String cacheName, Object key, long nanos, Exception failure) {
        heard.add("failed " + key + ": " + failure.getMessage());
      }
    }));
    cache.get("a", key -> "1");
    cache.get("a", key -> "never called");
    cache.get("b", key -> null);
    assertThatThrownBy(() -> cache.get("c", key -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(CacheLoadException.class);
    assertThat(heard).containsExactly("true load a found true", "true load b found false", "failed c: boom");
  }

  @Test
  void badInputIsRefusedNamingTheValue() {
    Cache<String, String> cache = open();
    assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
    assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("value");
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ofNanos(10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl (PT0.00000001S)");
    assertThatThrownBy(() -> cache.get("k", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("loader");
    assertThatThrownBy(() -> newBuilder(name).defaultTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultTtl");
    assertThatThrownBy(() -> newBuilder(name).negativeTtl(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negativeTtl");
    assertThatThrownBy(() -> newBuilder(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }

  @Test
  void aClosedCacheRefusesCalls() {
    Cache<String, String> cache = open();
    cache.put("k", "v");
    cache.close();
    cache.close(); // idempotent
    assertThatThrownBy(() -> cache.getIfPresent("k")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
