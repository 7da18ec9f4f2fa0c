package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.ClientKillParams.SkipMe;

/**
 * Connections that break while Redis is healthy are not outages (issue 11, item 3): a pooled connection
 * killed by {@code CLIENT KILL} or closed by the server's idle {@code timeout} is replaced and the call retried
 * once, and a client the caller closed is a misuse named as such. Redis errors that are about the data or the
 * server's memory say so (issue 11, item 5).
 */
class RedisConnectionsTest {

  private static final RedisScript INCR = RedisScript.of("incr", "return redis.call('INCR', KEYS[1])");

  private RedisServerProcess server;
  private RedisClient client;
  private BackendGuard guard;
  private RedisBackend backend;
  private final List<byte[]> key = List.of(RedisKeys.of("test").key(TestKeys.unique("conn"), "k")
      .getBytes(StandardCharsets.UTF_8));

  @BeforeEach
  void start() {
    server = RedisServers.startStandalone();
    client = server.newClient();
    guard = BackendGuard.create();
    backend = RedisBackend.create(client, guard);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private long incr() {
    return (Long) backend.eval(INCR, key, List.of());
  }

  /** Opens {@code n} pooled connections at once, by keeping n calls in flight. */
  private void openConnections(int n) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // each call holds its connection for 50 ms, so n calls in flight need n connections
        calls.add(threads.submit(() -> backend.execute(j -> j.blpop(0.05, TestKeys.unique("empty")))));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    } finally {
      threads.shutdown();
    }
  }

  private long normalClients() {
    try (Jedis admin = server.connect()) {
      return admin.clientList().lines().filter(l -> !l.contains("cmd=client")).count();
    }
  }

  @Test
  void everyPooledConnectionKilledIsNotAnOutage() throws Exception {
    openConnections(4);
    assertThat(normalClients()).as("the pool's connections").isGreaterThanOrEqualTo(4);
    long before = incr();
    try (Jedis admin = server.connect()) {
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL).skipMe(SkipMe.YES));
    }
    for (int i = 1; i <= 100; i++) {
      assertThat(incr()).isEqualTo(before + i);
    }
    assertThat(guard.stats().failures()).as("no call reached the guard as a failure").isZero();
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
  }

  @Test
  void anIdleConnectionClosedByTheServerIsNotAnOutage() throws Exception {
    openConnections(2);
    try (Jedis admin = server.connect()) {
      admin.configSet("timeout", "1");
    }
    // real time must pass: the server closes connections idle for a second (checked every ~100 ms)
    Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> normalClients() == 0);
    assertThat(incr()).isEqualTo(1);
    assertThat(incr()).isEqualTo(2);
    assertThat(guard.stats().failures()).isZero();
  }

  @Test
  void aClosedClientIsAMisuseNotAnOutage() {
    incr();
    client.close();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(this::incr)
          .isInstanceOf(DistkitException.class)
          .isNotInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("closed");
    }
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
    assertThat(guard.stats().failures()).isZero();
  }

  @Test
  void outOfMemoryUnderNoevictionIsUnavailableSoTheFailurePolicyApplies() {
    try (Jedis admin = server.connect()) {
      admin.configSet("maxmemory-policy", "noeviction");
      admin.configSet("maxmemory", "1"); // anything above zero used: every write is refused
    }
    assertThatThrownBy(this::incr)
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("OOM");
  }

  @Test
  void wrongTypeNamesTheKey() {
    String name = new String(key.get(0), StandardCharsets.UTF_8);
    client.lpush(name, "not a counter");
    assertThatThrownBy(this::incr)
        .isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("WRONGTYPE")
        .hasMessageContaining(name);
    assertThat(guard.state()).isEqualTo(BackendGuard.State.UP);
  }
}
