package io.distkit.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.cache.Cache;
import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.FailurePolicy;
import io.distkit.core.codec.Codec;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Redis cut off by a proxy: reads follow the failure policy, quickly; writes and invalidations always fail. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisCacheFaultsTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String name = TestKeys.unique("cache");
  private RedisServerProcess server;
  private FaultProxy proxy;
  private RedisClient client;
  private RedisBackend backend;

  @BeforeEach
  void start() {
    server = RedisServers.startStandalone();
    proxy = FaultProxy.start(server.hostAndPort());
    client = RedisClient.builder().hostAndPort(proxy.hostAndPort())
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(300).socketTimeoutMillis(300).build())
        .build();
    backend = RedisBackend.create(client, BackendGuard.builder().clock(clock).retryInterval(Duration.ofSeconds(1))
        .build());
  }

  @AfterEach
  void stop() {
    scheduler.close();
    client.close();
    proxy.close();
    server.close();
  }

  private Cache<String, String> cache(FailurePolicy policy) {
    return RedisCache.<String, String>builder(name, backend, Codec.utf8().versioned(1)).failurePolicy(policy)
        .clock(clock).scheduler(scheduler).build();
  }

  @Test
  void failClosedThrowsAtOnceOnceTheGuardKnows() {
    try (Cache<String, String> cache = cache(FailurePolicy.FAIL_CLOSED)) {
      cache.put("k", "v");
      proxy.cut();
      assertThatThrownBy(() -> cache.getIfPresent("k")).isInstanceOf(BackendUnavailableException.class);
      long start = System.nanoTime();
      assertThatThrownBy(() -> cache.get("k", key -> "from the source"))
          .isInstanceOf(BackendUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the guard knows: no new timeout")
          .isLessThan(Duration.ofMillis(200));
    }
  }

  @Test
  void aNearCacheFallingBackToLocalAnswersFromItsCopiesWhileRedisIsCut() {
    try (Cache<String, String> cache = RedisCache.<String, String>builder(name, backend, Codec.utf8().versioned(1))
        .failurePolicy(FailurePolicy.FALLBACK_TO_LOCAL).near(100, Duration.ofMinutes(1)).clock(clock)
        .scheduler(scheduler).build()) {
      // copies are made only while invalidations are heard
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(((NearCache<?, ?>) cache)::listening);
      cache.put("k", "v");
      assertThat(cache.getIfPresent("k")).contains("v"); // copied
      proxy.cut();
      // once the near cache stops hearing invalidations it reads Redis, which fails: the copy answers
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> !((NearCache<?, ?>) cache).listening());
      assertThat(cache.getIfPresent("k")).as("the copy").contains("v");
      assertThat(cache.stats().staleServed()).isEqualTo(1);
      assertThat(cache.get("other", key -> "from the source")).as("no copy: the source answers")
          .contains("from the source");
      assertThatThrownBy(() -> cache.put("k", "w")).isInstanceOf(BackendUnavailableException.class);
    }
  }

  @Test
  void failOpenReadsAsAMissAndLoadsFromTheSourceButWritesStillFail() {
    try (Cache<String, String> cache = cache(FailurePolicy.FAIL_OPEN)) {
      cache.put("k", "cached");
      proxy.cut();
      AtomicInteger loads = new AtomicInteger();
      assertThat(cache.getIfPresent("k")).isEmpty();
      assertThat(cache.get("k", key -> "from the source #" + loads.incrementAndGet())).contains("from the source #1");
      assertThat(cache.get("k", key -> "from the source #" + loads.incrementAndGet())).as("uncached")
          .contains("from the source #2");
      assertThat(cache.getAll(List.of("k", "other"))).isEmpty();
      // an invalidation dropped in silence would let the old value be read once Redis is back
      assertThatThrownBy(() -> cache.invalidate("k")).isInstanceOf(BackendUnavailableException.class);
      assertThatThrownBy(() -> cache.put("k", "new")).isInstanceOf(BackendUnavailableException.class);
      assertThatThrownBy(cache::invalidateAll).isInstanceOf(BackendUnavailableException.class);

      proxy.heal();
      // the guard probes once per retry interval (on the manual clock); the first probe may meet a pooled
      // connection the cut closed, so Redis counts as back after a probe that works
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        clock.advance(Duration.ofSeconds(1));
        return cache.getIfPresent("k").isPresent();
      });
      assertThat(cache.getIfPresent("k")).as("Redis back: the value it still holds").contains("cached");
    }
  }
}
