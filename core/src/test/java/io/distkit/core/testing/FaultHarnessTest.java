package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisFencing;
import io.distkit.core.session.FencingToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.exceptions.JedisException;

/** The fault controls of the test kit: cluster proxies, client pauses, server sleeps, child JVMs, Sentinel. */
class FaultHarnessTest {

  @Test
  void aClusterClientBehindTheProxiesReachesEveryNodeThroughItsProxyOnly() {
    RedisCluster cluster = RedisServers.cluster();
    try (ClusterFaultProxy proxies = ClusterFaultProxy.start(cluster);
        RedisClusterClient client = proxies.newClient(Duration.ofMillis(500))) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String key = TestKeys.unique("proxied");
        keys.add(key);
        client.set(key, "v");
        client.pexpire(key, 60_000);
      }
      for (RedisServerProcess master : cluster.masters()) {
        assertThat(proxies.proxyOf(master).acceptedConnections()).as("traffic to " + master).isPositive();
      }
      RedisServerProcess victim = cluster.masterFor(keys.get(0));
      proxies.proxyOf(victim).cut();
      // each call to the cut node waits out the client's retries: try one, and every key elsewhere
      assertThatThrownBy(() -> client.get(keys.get(0))).as("a key on the cut node").isInstanceOf(JedisException.class);
      for (String key : keys) {
        if (cluster.masterFor(key) != victim) {
          assertThat(client.get(key)).as("a key elsewhere").isEqualTo("v");
        }
      }
      proxies.healAll();
      assertThat(client.get(keys.get(0))).isEqualTo("v");
    }
  }

  @Test
  void clientPauseHoldsWritesBackUntilItEnds() throws Exception {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = server.newClient(Duration.ofSeconds(5))) {
      server.clientPause(Duration.ofSeconds(30), true);
      CompletableFuture<String> write = CompletableFuture.supplyAsync(() -> client.set("k", "v"));
      assertThat(client.get("k")).as("reads go on").isNull();
      assertThatThrownBy(() -> write.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(java.util.concurrent.TimeoutException.class);
      server.clientUnpause();
      assertThat(write.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
    }
  }

  @Test
  void aServerThatAnswersSlowlyTripsAGuardWithASlowCallThreshold() throws Exception {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = server.newClient(Duration.ofSeconds(5))) {
      BackendGuard guard = BackendGuard.builder().slowCallThreshold(Duration.ofMillis(100), 1).build();
      RedisBackend backend = RedisBackend.create(client, guard);
      String quick = backend.execute(j -> j.ping());
      assertThat(quick).isEqualTo("PONG");
      CompletableFuture<Void> asleep = server.debugSleep(Duration.ofMillis(400));
      String late = backend.execute(j -> j.ping());
      assertThat(late).as("answered, late").isEqualTo("PONG");
      asleep.get(5, TimeUnit.SECONDS);
      assertThat(guard.state()).isEqualTo(BackendGuard.State.DOWN);
      assertThatThrownBy(() -> backend.execute(j -> j.ping())).isInstanceOfSatisfying(BackendUnavailableException.class,
          e -> assertThat(e.isFailFast()).isTrue());
      assertThat(guard.stats().slowCalls()).isEqualTo(1);
    }
  }

  @Test
  void aChildJvmCanBePausedResumedAndKilled() {
    try (ChildJvm child = ChildJvm.start(TickingChild.class)) {
      child.awaitLine(l -> l.equals("tick 3"), Duration.ofSeconds(60));
      child.pause();
      int frozenAt = child.output().size();
      await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true); // it must not tick
      assertThat(child.output()).hasSize(frozenAt);
      child.resume();
      child.awaitLine(l -> l.equals("tick " + (frozenAt + 3)), Duration.ofSeconds(10));
      child.kill();
      assertThat(child.isAlive()).isFalse();
    }
  }

  @Test
  void aTerminatedChildJvmRunsItsShutdownHooks() {
    try (ChildJvm child = ChildJvm.start(TickingChild.class)) {
      child.awaitLine(l -> l.equals("tick 1"), Duration.ofSeconds(60));
      child.terminate();
      assertThat(child.waitFor(Duration.ofSeconds(10))).isNotEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> child.output().contains("shutting down"));
    }
  }

  /** Prints a numbered tick every 20 ms until its parent goes, and "shutting down" on SIGTERM. */
  public static final class TickingChild {
    private TickingChild() {}

    public static void main(String[] args) throws InterruptedException {
      ChildJvm.exitWhenParentExits();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutting down")));
      for (int i = 1; ; i++) {
        System.out.println("tick " + i);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void aSentinelDeploymentFailsOverAndFencingTokensKeepGrowing() {
    try (RedisSentinel sentinel = RedisSentinel.start();
        RedisSentinelClient client = sentinel.newClient(Duration.ofMillis(500))) {
      RedisBackend backend = RedisBackend.create(client, BackendGuard.builder().retryInterval(Duration.ofMillis(100))
          .build());
      RedisFencing fencing = RedisFencing.create(backend);
      String resource = "distkit:test:{" + TestKeys.unique("sentinel") + "}:token";
      FencingToken before = fencing.next(resource);
      HostAndPort oldMaster = sentinel.currentMaster();
      assertThat(oldMaster).isEqualTo(sentinel.master().hostAndPort());
      sentinel.master().kill();
      HostAndPort newMaster = sentinel.awaitFailover(oldMaster, Duration.ofSeconds(30));
      assertThat(newMaster).isEqualTo(sentinel.replica().hostAndPort());
      FencingToken after = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions().until(() -> fencing.next(resource), t -> true);
      assertThat(after.isNewerThan(before)).isTrue();
      try (Jedis promoted = sentinel.replica().connect()) {
        assertThat(promoted.role().get(0)).isEqualTo("master");
      }
    }
  }
}
