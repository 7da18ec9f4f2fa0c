package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * A Redis that is killed, paused or cut off turns into {@link BackendUnavailableException}, the guard makes
 * the outage cheap, and calls come back when Redis does.
 */
class RedisFaultsTest {

  private static final RedisScript PING = RedisScript.of("ping", "return redis.call('PING')");
  private static final Duration RETRY = Duration.ofMillis(500);

  private final ManualClock clock = new ManualClock();
  private final BackendGuard guard = BackendGuard.builder().retryInterval(RETRY).clock(clock).build();
  private final List<byte[]> key = List.of(RedisKeys.of("test").key(TestKeys.unique("fault"), "k")
      .getBytes(StandardCharsets.UTF_8));

  private static RedisClient client(HostAndPort address, Duration timeout) {
    return RedisClient.builder()
        .hostAndPort(address)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis())
            .build())
        .build();
  }

  private Object ping(RedisBackend backend) {
    return backend.eval(PING, key, List.of());
  }

  private static void assertFailsFast(RedisBackend backend, Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(BackendUnavailableException.class,
        e -> assertThat(e.isFailFast()).as("failed fast").isTrue());
  }

  @Test
  void aThousandCallsAgainstADeadRedisFinishWellUnderASecond() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = client(server.hostAndPort(), Duration.ofMillis(500))) {
      RedisBackend backend = RedisBackend.create(client, BackendGuard.create());
      assertThat(ping(backend)).isNotNull();
      server.kill();

      long start = System.nanoTime();
      int unavailable = 0;
      for (int i = 0; i < 1000; i++) {
        try {
          ping(backend);
        } catch (BackendUnavailableException e) {
          unavailable++;
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(unavailable).isEqualTo(1000);
      assertThat(took).isLessThan(Duration.ofSeconds(1));
      BackendGuard.Stats stats = backend.guard().stats();
      assertThat(stats.fastFailures()).as("calls that never touched the network").isGreaterThanOrEqualTo(990);
      assertThat(stats.outages()).isEqualTo(1);
    }
  }

  @Test
  void aThousandCallsAgainstABlackHoleCostOneTimeoutNotAThousand() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient client = client(proxy.hostAndPort(), Duration.ofMillis(300))) {
      RedisBackend backend = RedisBackend.create(client, BackendGuard.create());
      assertThat(ping(backend)).isNotNull();
      proxy.blackhole();

      long start = System.nanoTime();
      int unavailable = 0;
      for (int i = 0; i < 1000; i++) {
        try {
          ping(backend);
        } catch (BackendUnavailableException e) {
          unavailable++;
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(unavailable).isEqualTo(1000);
      // without the guard this would be 1000 socket timeouts, 300 seconds
      assertThat(took).isLessThan(Duration.ofSeconds(1));
      assertThat(backend.guard().stats().fastFailures()).isGreaterThanOrEqualTo(998);
    }
  }

  @Test
  void aPausedServerTimesOutTripsTheGuardAndIsUsedAgainAfterResuming() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = client(server.hostAndPort(), Duration.ofMillis(300))) {
      RedisBackend backend = RedisBackend.create(client, guard);
      assertThat(ping(backend)).isNotNull();

      server.pause();
      assertThatThrownBy(() -> ping(backend))
          .isInstanceOfSatisfying(BackendUnavailableException.class, e -> {
            assertThat(e.isFailFast()).as("this one waited for the timeout").isFalse();
            assertThat(e).hasMessageContaining("Redis is unavailable");
          });
      assertThat(guard.state()).isEqualTo(BackendGuard.State.DOWN);
      assertFailsFast(backend, () -> ping(backend));

      server.resume();
      assertFailsFast(backend, () -> ping(backend)); // the guard does not know yet
      clock.advance(RETRY);
      assertThat(ping(backend)).as("the probe").isNotNull();
      assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
      assertThat(ping(backend)).isNotNull();
    }
  }

  @Test
  void aCutProxyIsAnOutageAndHealingItBringsCallsBack() {
    RedisServerProcess server = RedisServers.standalone(); // the proxy cuts only our connections
    // a cut closes connections at once, so nothing here waits for the timeout: a generous one keeps the
    // healthy calls from timing out on a loaded machine
    try (FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient client = client(proxy.hostAndPort(), Duration.ofSeconds(2))) {
      RedisBackend backend = RedisBackend.create(client, guard);
      assertThat(ping(backend)).isNotNull();

      proxy.cut();
      assertThatThrownBy(() -> ping(backend)).isInstanceOf(BackendUnavailableException.class);
      assertThat(guard.state()).isEqualTo(BackendGuard.State.DOWN);
      clock.advance(RETRY);
      assertThatThrownBy(() -> ping(backend))
          .as("the probe, while still cut")
          .isInstanceOfSatisfying(BackendUnavailableException.class, e -> assertThat(e.isFailFast()).isFalse());
      assertFailsFast(backend, () -> ping(backend));

      proxy.heal();
      clock.advance(RETRY);
      assertThat(ping(backend)).isNotNull();
      assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
      assertThat(guard.stats().outages()).isEqualTo(1);
    }
  }

  @Test
  void aPoolOfDeadConnectionsIsNotAnOutage() {
    RedisServerProcess server = RedisServers.standalone();
    // dead connections fail at once (reset), not by timeout: a long timeout keeps a loaded machine's slow answer
    // from reading as an outage
    try (FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient client = client(proxy.hostAndPort(), Duration.ofSeconds(3))) {
      RedisBackend backend = RedisBackend.create(client, guard);
      client.getPool().addObjects(6);
      assertThat(ping(backend)).isNotNull();
      assertThat(client.getPool().getNumIdle()).isGreaterThanOrEqualTo(6);

      // the server is fine, but every pooled connection died (a restart, a failover, an idle timeout): the
      // call retries once on a fresh connection, not on another dead one, and the guard never hears of it
      proxy.disconnectAll();
      assertThat(ping(backend)).isNotNull();
      assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
      assertThat(guard.stats().failures()).isZero();
      assertThat(client.getPool().getNumIdle()).as("the dead idle connections were dropped").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void latencyAboveTheClientTimeoutIsAnOutageAndBelowItIsJustSlow() {
    RedisServerProcess server = RedisServers.standalone();
    try (FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient client = client(proxy.hostAndPort(), Duration.ofMillis(400))) {
      RedisBackend backend = RedisBackend.create(client, guard);
      assertThat(ping(backend)).isNotNull();

      proxy.delay(Duration.ofMillis(100));
      long start = System.nanoTime();
      assertThat(ping(backend)).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("one round trip through 100 ms of one-way delay")
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));

      proxy.delay(Duration.ofMillis(500));
      assertThatThrownBy(() -> ping(backend)).isInstanceOf(BackendUnavailableException.class);

      proxy.heal();
      clock.advance(RETRY);
      assertThat(ping(backend)).isNotNull();
    }
  }
}
