package io.distkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.cache.Cache;
import io.distkit.core.codec.Codec;
import io.distkit.core.codec.CodecException;
import io.distkit.core.codec.UnknownFormatException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisFencing;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.params.SetParams;

/**
 * What the Redis cache adds to the contract: its commands per call, hostile bytes under its keys, and
 * {@code invalidateAll} heard by other JVMs' caches (by message, or at the next epoch check when the message is
 * lost). Manual clock and scheduler; one client per cache, as separate JVMs would have.
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisCacheTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String name = TestKeys.unique("cache");
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    scheduler.close();
  }

  private Cache<String, String> cache(Deployment deployment) {
    var client = deployment.newClient();
    opened.add(client);
    Cache<String, String> cache = RedisCache.<String, String>builder(name, RedisBackend.create(client),
        Codec.utf8().versioned(1)).timeSource(TimeSource.CLIENT).clock(clock).scheduler(scheduler).build();
    opened.add(cache);
    await().atMost(Duration.ofSeconds(10)).until(((RedisBackedCache<?, ?>) cache)::listening);
    return cache;
  }

  private byte[] keyOf(String key) {
    return RedisKeys.of("cache").keyBytes(key, name);
  }

  private void storeRaw(Deployment deployment, String key, byte[] stored) {
    deployment.backend().execute(jedis -> jedis.set(keyOf(key), stored, SetParams.setParams().px(60_000)));
  }

  @ContractTest
  void eachSingleKeyCallIsOneCommandAndAMissThatLoadsIsThree(Deployment deployment) {
    cache(deployment).get("warm-up", key -> "loads the fill script");
    Cache<String, String> cache = cache(deployment);
    CommandStats before = deployment.commandStats();
    cache.put("k", "v");
    cache.getIfPresent("k");
    cache.invalidate("k");
    CommandStats spent = deployment.commandStats().minus(before);
    assertThat(spent.calls("set") + spent.calls("get") + spent.calls("del")).as("commands: " + spent).isEqualTo(3);
    assertThat(spent.calls("evalsha") + spent.calls("mget") + spent.calls("exists")).isZero();

    before = deployment.commandStats();
    cache.get("k", key -> "loaded");
    spent = deployment.commandStats().minus(before);
    // sent: GET, then EVALSHA (a second look that takes the fill lease), then EVALSHA (the fill); commandstats
    // counts the commands inside the scripts too
    assertThat(spent.calls("evalsha")).as("the second look with the lease, and the fill: " + spent).isEqualTo(2);
    assertThat(spent.calls("get")).as("the read, the second look, the fill's lease and entry checks").isEqualTo(4);
    assertThat(spent.calls("set")).as("the lease, and the fill's write").isEqualTo(2);
    assertThat(spent.calls("del")).as("the fill ends the lease").isEqualTo(1);
    before = deployment.commandStats();
    cache.get("k", key -> "loaded again");
    spent = deployment.commandStats().minus(before);
    assertThat(spent.calls("get") + spent.calls("set")).as("a hit: " + spent).isEqualTo(1);
  }

  /** A class whose deserialization would flip a canary: it must never be deserialized. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean CANARY = new AtomicBoolean();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      CANARY.set(true);
    }
  }

  @ContractTest
  void hostileBytesUnderItsKeysAreRefusedAndNeverDecoded(Deployment deployment) throws Exception {
    Cache<String, String> cache = cache(deployment);
    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(serialized)) {
      out.writeObject(new Gadget());
    }
    storeRaw(deployment, "gadget", serialized.toByteArray());
    assertThatThrownBy(() -> cache.getIfPresent("gadget")).isInstanceOf(UnknownFormatException.class)
        .hasMessageContaining("first byte 0xAC").hasMessageContaining("never decoded");
    assertThatThrownBy(() -> cache.getAll(List.of("gadget"))).isInstanceOf(UnknownFormatException.class);
    assertThat(Gadget.CANARY).as("the gadget's readObject never ran").isFalse();

    storeRaw(deployment, "truncated", new byte[] {1, 0, 0});
    assertThatThrownBy(() -> cache.getIfPresent("truncated")).isInstanceOf(CodecException.class)
        .hasMessageContaining("corrupt");
    byte[] badKind = CacheFrame.value(0, new byte[] {1, 'x'});
    badKind[1] = 7;
    storeRaw(deployment, "bad-kind", badKind);
    assertThatThrownBy(() -> cache.getIfPresent("bad-kind")).isInstanceOf(CodecException.class)
        .hasMessageContaining("kind 7");
    storeRaw(deployment, "future-value", CacheFrame.value(0, new byte[] {9, 'x'}));
    assertThatThrownBy(() -> cache.getIfPresent("future-value")).isInstanceOf(UnknownFormatException.class)
        .as("the value codec's own format version is checked too");
    byte[] huge = new byte[8 << 20];
    huge[0] = 1;
    huge[1] = 0;
    huge[10] = (byte) 0xFF; // not UTF-8 after the value codec's version byte
    huge[11] = (byte) 0xFE;
    storeRaw(deployment, "huge", huge);
    assertThatThrownBy(() -> cache.getIfPresent("huge")).isInstanceOf(CodecException.class);
    assertThatThrownBy(() -> cache.get("gadget", key -> "x")).as("a loader does not paper over a hostile entry")
        .isInstanceOf(UnknownFormatException.class);
  }

  @ContractTest
  void invalidateAllInOneJvmIsHeardByTheOthersThroughTheirSubscription(Deployment deployment) {
    Cache<String, String> here = cache(deployment);
    Cache<String, String> there = cache(deployment);
    here.put("k", "v");
    assertThat(there.getIfPresent("k")).contains("v");
    here.invalidateAll();
    assertThat(here.getIfPresent("k")).as("at once where it was called").isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> there.getIfPresent("k").isEmpty());
    there.put("k", "new");
    assertThat(here.getIfPresent("k")).as("written after the invalidation, seen everywhere").contains("new");
  }

  @ContractTest
  void anInvalidateAllWhoseMessageWasLostIsSeenAtTheNextEpochCheck(Deployment deployment) {
    Cache<String, String> cache = cache(deployment);
    cache.put("k", "v");
    // advance the epoch as invalidateAll does, but tell nobody
    RedisFencing.create(deployment.backend(), RedisTime.of(TimeSource.CLIENT, clock), CacheEpochs.KEY_TTL)
        .next(RedisKeys.of("cache").key(name, "epoch"));
    assertThat(cache.getIfPresent("k")).as("not heard yet").contains("v");
    scheduler.advance(RedisCache.DEFAULT_EPOCH_CHECK_INTERVAL);
    assertThat(cache.getIfPresent("k")).as("read at the check").isEmpty();
  }

  @ContractTest
  void aLoadDoesNotOverwriteAWriteThatLandedWhileItRan(Deployment deployment) throws Exception {
    Cache<String, String> loading = cache(deployment);
    Cache<String, String> writing = cache(deployment);
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<String>> slow = caller.submit(() -> loading.get("k", key -> {
        loaderStarted.countDown();
        release.await();
        return "loaded from a stale read";
      }));
      assertThat(loaderStarted.await(10, TimeUnit.SECONDS)).isTrue();
      writing.put("k", "written during the load");
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).as("the loader's caller gets what it loaded")
          .contains("loaded from a stale read");
      assertThat(writing.getIfPresent("k")).as("Redis keeps the newer write").contains("written during the load");
    } finally {
      caller.shutdownNow();
    }
    loading.invalidateAll();
    assertThat(loading.get("k", key -> "after the invalidation")).as("an entry of an earlier epoch is replaced")
        .contains("after the invalidation");
    assertThat(writing.getIfPresent("k")).contains("after the invalidation");
  }

  @ContractTest
  void aHotKeyMissedByFiftyThreadsInEachOfTwoJvmsIsLoadedOnceInTheFleet(Deployment deployment) throws Exception {
    assertThat(loadsWhenFiftyThreadsOfTwoCachesMiss(deployment, RedisCache.DEFAULT_FILL_LEASE, "hot"))
        .as("the fill lease: one JVM loads, the other waits for its fill").isEqualTo(1);
    assertThat(loadsWhenFiftyThreadsOfTwoCachesMiss(deployment, Duration.ZERO, "hot-no-lease"))
        .as("no fill lease: once per JVM (single flight in each)").isEqualTo(2);
  }

  private int loadsWhenFiftyThreadsOfTwoCachesMiss(Deployment deployment, Duration fillLease, String key)
      throws Exception {
    List<Cache<String, String>> caches = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      var client = deployment.newClient();
      opened.add(client);
      Cache<String, String> cache = RedisCache.<String, String>builder(name, RedisBackend.create(client),
          Codec.utf8().versioned(1)).fillLease(fillLease).clock(clock).scheduler(scheduler).build();
      opened.add(cache);
      caches.add(cache);
    }
    java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(100);
    ExecutorService threads = Executors.newFixedThreadPool(100);
    try {
      List<Future<Optional<String>>> answers = new ArrayList<>();
      for (int t = 0; t < 100; t++) {
        Cache<String, String> cache = caches.get(t % 2);
        answers.add(threads.submit(() -> {
          start.await();
          return cache.get(key, k -> {
            loads.incrementAndGet();
            Thread.sleep(300); // a slow query: every other caller misses while it runs
            return "computed";
          });
        }));
      }
      for (Future<Optional<String>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS)).contains("computed");
      }
    } finally {
      threads.shutdownNow();
    }
    return loads.get();
  }

  @ContractTest
  void anInvalidateDuringALoadKeepsTheLoadedValueOut(Deployment deployment) throws Exception {
    Cache<String, String> loading = cache(deployment);
    Cache<String, String> invalidating = cache(deployment);
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<String>> slow = caller.submit(() -> loading.get("k", key -> {
        loaderStarted.countDown();
        release.await();
        return "read before the invalidation";
      }));
      assertThat(loaderStarted.await(10, TimeUnit.SECONDS)).isTrue();
      invalidating.invalidate("k"); // e.g. the database row changed after the loader read it
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).contains("read before the invalidation");
    } finally {
      caller.shutdownNow();
    }
    assertThat(invalidating.getIfPresent("k")).as("the fill after the invalidation was refused").isEmpty();
  }

  @ContractTest
  void aTtlLongerThanTheEpochKeyOutlivesIsRefused(Deployment deployment) {
    Cache<String, String> cache = cache(deployment);
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ofDays(31))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl (PT744H) must be at most PT720H");
    assertThatThrownBy(() -> RedisCache.<String, String>builder(name, deployment.backend(), Codec.utf8())
        .defaultTtl(Duration.ofDays(31)).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defaultTtl");
    assertThatThrownBy(() -> RedisCache.<String, String>builder(name, deployment.backend(), Codec.utf8())
        .failurePolicy(io.distkit.core.FailurePolicy.FALLBACK_TO_LOCAL).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a near cache");
    assertThat(new String(keyOf("user:42"), StandardCharsets.UTF_8)).isEqualTo("distkit:cache:{user:42}:" + name);
    assertThatThrownBy(() -> cache.put(" ", "v")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key (' ')");
  }
}
