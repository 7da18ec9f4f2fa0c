package io.distkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheListener;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.SetParams;

/**
 * The near cache's coherence: copies in two "JVMs" (two clients, two caches of one name) on one Redis. A write in
 * one drops the other's copy; a fill racing an invalidation is not installed; a lost message is found by
 * reconciliation; a subscription that was interrupted drops every copy.
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisNearCacheTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String name = TestKeys.unique("near");
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    scheduler.close();
  }

  private final List<CacheListener.DropReason> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();

  private NearCache<String, String> near(UnifiedJedis client) {
    opened.add(client);
    Cache<String, String> cache = RedisCache.<String, String>builder(name, RedisBackend.create(client),
        Codec.utf8().versioned(1)).timeSource(TimeSource.CLIENT).clock(clock).scheduler(scheduler)
        .near(1_000, Duration.ofMinutes(1)).listener(new CacheListener() {
          @Override
          public void onCopiesDropped(String cacheName, DropReason reason) {
            dropped.add(reason);
          }
        }).build();
    opened.add(cache);
    NearCache<String, String> near = (NearCache<String, String>) cache;
    await().atMost(Duration.ofSeconds(10)).until(near::listening);
    return near;
  }

  @ContractTest
  void aHitOnACopyCostsNoRoundTripAndAWriteElsewhereDropsIt(Deployment deployment) {
    NearCache<String, String> here = near(deployment.newClient());
    NearCache<String, String> there = near(deployment.newClient());
    long announced = there.invalidationsReceived();
    here.put("k", "v1");
    await().atMost(Duration.ofSeconds(10)).until(() -> there.invalidationsReceived() > announced);
    assertThat(there.getIfPresent("k")).contains("v1"); // copied
    CommandStats before = deployment.commandStats();
    for (int i = 0; i < 100; i++) {
      assertThat(there.getIfPresent("k")).contains("v1");
    }
    CommandStats spent = deployment.commandStats().minus(before);
    assertThat(spent.calls("get") + spent.calls("evalsha")).as("hits on the copy: " + spent).isZero();

    long heard = there.invalidationsReceived();
    here.put("k", "v2");
    await().atMost(Duration.ofSeconds(10)).until(() -> there.invalidationsReceived() > heard);
    assertThat(there.getIfPresent("k")).as("the copy was dropped").contains("v2");
    here.invalidate("k");
    await().atMost(Duration.ofSeconds(10)).until(() -> there.getIfPresent("k").isEmpty());
  }

  @ContractTest
  void aFillRacingAnInvalidationIsNotInstalled(Deployment deployment) throws Exception {
    NearCache<String, String> loading = near(deployment.newClient());
    NearCache<String, String> writing = near(deployment.newClient());
    CountDownLatch loaderStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<String>> slow = caller.submit(() -> loading.get("k", key -> {
        loaderStarted.countDown();
        release.await();
        return "loaded before the write";
      }));
      assertThat(loaderStarted.await(10, TimeUnit.SECONDS)).isTrue();
      long heard = loading.invalidationsReceived();
      writing.put("k", "written during the load");
      await().atMost(Duration.ofSeconds(10)).until(() -> loading.invalidationsReceived() > heard);
      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).contains("loaded before the write");
    } finally {
      caller.shutdownNow();
    }
    assertThat(loading.getIfPresent("k")).as("no copy of the value the write made old")
        .contains("written during the load");
  }

  @ContractTest
  void aLostMessageIsFoundByReconciliationAndEveryCopyDropped(Deployment deployment) {
    NearCache<String, String> cache = near(deployment.newClient());
    cache.put("k", "v1");
    assertThat(cache.getIfPresent("k")).contains("v1"); // copied
    // another JVM wrote and recorded its sequence, but its message never arrived
    byte[] entry = RedisKeys.of("cache").keyBytes("k", name);
    deployment.backend().execute(jedis -> jedis.set(entry, CacheFrame.value(0, Codec.utf8().versioned(1).encode("v2")),
        SetParams.setParams().px(60_000)));
    deployment.backend().execute(jedis -> jedis.hset(RedisKeys.of("cache").key(name, "sources"), "feedface", "3"));
    assertThat(cache.getIfPresent("k")).as("the copy, until the loss is found").contains("v1");
    long flushes = cache.flushes();
    scheduler.advance(RedisCache.DEFAULT_RECONCILE_INTERVAL);
    assertThat(cache.flushes()).isGreaterThan(flushes);
    assertThat(dropped).contains(CacheListener.DropReason.RECONCILIATION);
    assertThat(cache.getIfPresent("k")).contains("v2");
  }

  @ContractTest
  void aSourceSilentForADayIsForgottenAndAReaderThatNeverWroteCausesNoDrop(Deployment deployment) {
    NearCache<String, String> cache = near(deployment.newClient());
    String sources = RedisKeys.of("cache").key(name, "sources");
    long dayAgo = clock.epochMillis() - Duration.ofDays(1).plusMinutes(1).toMillis();
    deployment.backend().execute(jedis -> jedis.hset(sources, "gone", "7 " + dayAgo));
    String readerRecord = "0 " + clock.epochMillis();
    deployment.backend().execute(jedis -> jedis.hset(sources, "reader", readerRecord));
    cache.put("k", "v");
    assertThat(cache.getIfPresent("k")).contains("v");
    long flushes = cache.flushes();
    scheduler.advance(RedisCache.DEFAULT_RECONCILE_INTERVAL);
    boolean stillThere = deployment.backend().execute(jedis -> jedis.hexists(sources, "gone"));
    assertThat(stillThere).as("forgotten").isFalse();
    assertThat(cache.flushes()).as("neither the silent source nor the reader drops the copies").isEqualTo(flushes);
    String reader = deployment.backend().execute(jedis -> jedis.hget(sources, "reader"));
    assertThat(reader).as("a live source is kept").isEqualTo(readerRecord);
  }

  @ContractTest
  void invalidateAllElsewhereDropsEveryCopy(Deployment deployment) {
    NearCache<String, String> here = near(deployment.newClient());
    NearCache<String, String> there = near(deployment.newClient());
    here.put("a", "1");
    assertThat(there.getIfPresent("a")).contains("1");
    here.invalidateAll();
    await().atMost(Duration.ofSeconds(10)).until(() -> there.getIfPresent("a").isEmpty());
  }

  @Test
  void anInterruptedSubscriptionDropsEveryCopyWhenItIsBack() {
    RedisServerProcess redis = RedisServers.standalone();
    NearCache<String, String> here = near(redis.newClient());
    NearCache<String, String> there = near(redis.newClient());
    here.put("k", "v1");
    assertThat(there.getIfPresent("k")).contains("v1");
    long flushes = there.flushes();
    try (Jedis admin = redis.connect()) {
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
    }
    // written while the subscriptions reconnect: the message may be lost
    deployment(redis).execute(jedis -> jedis.set(RedisKeys.of("cache").keyBytes("k", name),
        CacheFrame.value(0, Codec.utf8().versioned(1).encode("v2")), SetParams.setParams().px(60_000)));
    // the subscription reconnects on the (manual) scheduler's timers
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      scheduler.advance(Duration.ofMillis(200));
      return there.flushes() > flushes && there.listening();
    });
    assertThat(there.getIfPresent("k")).contains("v2");
  }

  private RedisBackend deployment(RedisServerProcess redis) {
    UnifiedJedis client = redis.newClient();
    opened.add(client);
    return RedisBackend.create(client);
  }
}
