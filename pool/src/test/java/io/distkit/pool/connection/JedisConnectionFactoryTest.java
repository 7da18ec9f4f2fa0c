package io.distkit.pool.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolTimeoutException;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Pooled Jedis connections on a Redis server of their own: connections killed by the server are never lent, and a
 * black-holed server cannot hold a borrower past its timeout.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JedisConnectionFactoryTest {

  private static RedisServerProcess redis;

  private final Scheduler scheduler = Scheduler.create("jedis-pool-test");
  private final String key = TestKeys.unique("pooled");

  @BeforeAll
  static void startRedis() {
    redis = RedisServers.startStandalone();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @AfterEach
  void tearDown() {
    scheduler.close();
  }

  private LocalObjectPool.Builder<Jedis> pool(redis.clients.jedis.HostAndPort server) {
    return LocalObjectPool.builder("redis", new JedisConnectionFactory(server,
        DefaultJedisClientConfig.builder().timeoutMillis(2_000).clientName("pooled").build())).scheduler(scheduler);
  }

  @Test
  void pooledConnectionsWorkAndAreReused() throws Exception {
    try (ObjectPool<Jedis> pool = pool(redis.hostAndPort()).build()) {
      try (Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(10))) {
        lease.get().set(key, "hello");
      }
      try (Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(10))) {
        assertThat(lease.get().get(key)).isEqualTo("hello");
      }
      assertThat(pool.stats().created()).isEqualTo(1);
    }
  }

  @Test
  void connectionsKilledByTheServerAreNeverLent() throws Exception {
    try (ObjectPool<Jedis> pool = pool(redis.hostAndPort()).maxSize(3).validateAfterIdle(Duration.ZERO).build()) {
      List<Lease<Jedis>> leases = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(10));
        ids.add(lease.get().clientId());
        leases.add(lease);
      }
      leases.forEach(Lease::close);
      try (Jedis admin = redis.connect()) {
        for (long id : ids) {
          assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id)))).isEqualTo(1);
        }
      }
      for (int i = 0; i < 20; i++) {
        try (Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(10))) {
          assertThat(lease.get().ping()).as("borrow " + i + " got a live connection").isEqualTo("PONG");
          assertThat(ids).doesNotContain(lease.get().clientId());
        }
      }
      assertThat(pool.stats().validationFailures()).isEqualTo(3);
    }
  }

  @Test
  void aBlackHoledServerHoldsABorrowerNoLongerThanItsTimeoutAndAHundredMilliseconds() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(redis.hostAndPort());
        ObjectPool<Jedis> pool = pool(proxy.hostAndPort()).maxSize(2).validateAfterIdle(Duration.ZERO)
            .closeTimeout(Duration.ZERO).build()) {
      Lease<Jedis> a = pool.acquire(Duration.ofSeconds(10));
      Lease<Jedis> b = pool.acquire(Duration.ofSeconds(10));
      a.close();
      b.close();
      proxy.blackhole();
      for (Duration timeout : List.of(Duration.ofMillis(300), Duration.ofSeconds(1))) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.acquire(timeout)).isInstanceOf(PoolTimeoutException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Duration slack = timeout.dividedBy(10).compareTo(Duration.ofMillis(100)) > 0
            ? timeout.dividedBy(10) : Duration.ofMillis(100);
        assertThat(took).as("timeout " + timeout).isGreaterThanOrEqualTo(timeout.minusMillis(1))
            .isLessThan(timeout.plus(slack));
      }
      proxy.heal();
      try (Lease<Jedis> lease = pool.acquire(Duration.ofSeconds(10))) {
        assertThat(lease.get().ping()).isEqualTo("PONG");
      }
    }
  }
}
