package io.distkit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The harness itself: real servers start, a real cluster forms, and the fault controls do what they say. */
@ExtendWith(RedisExtension.class)
class RedisHarnessTest {

  @Test
  void sharedStandaloneServerAnswers(RedisServerProcess server) {
    try (RedisClient client = server.newClient()) {
      String key = TestKeys.unique("harness");
      client.set(key, "v");
      assertThat(client.get(key)).isEqualTo("v");
      assertThat(client.info("server")).contains("redis_version:" + server.binary().version());
    }
    assertThat(RedisServers.standalone()).as("one shared server per JVM").isSameAs(server);
  }

  @Test
  void sharedClusterHasThreeMastersCoveringEverySlot(RedisCluster cluster) {
    assertThat(cluster.masters()).hasSize(3);
    for (RedisServerProcess node : cluster.nodes()) {
      try (Jedis jedis = node.connect()) {
        String info = jedis.clusterInfo();
        assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_size:3",
            "cluster_known_nodes:3");
      }
    }
    // keys spread over the three masters, and the client follows the slot map
    Set<RedisServerProcess> owners = new HashSet<>();
    try (RedisClusterClient client = cluster.newClient()) {
      for (int i = 0; i < 30; i++) {
        String key = TestKeys.unique("spread");
        client.set(key, Integer.toString(i));
        assertThat(client.get(key)).isEqualTo(Integer.toString(i));
        owners.add(cluster.masterFor(key));
      }
    }
    assertThat(owners).containsExactlyInAnyOrderElementsOf(cluster.masters());
  }

  @Test
  void pausedServerStopsAnsweringUntilResumed() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = server.newClient(Duration.ofMillis(300))) {
      assertThat(client.ping()).isEqualTo("PONG");
      server.pause();
      assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class);
      assertThat(server.isRunning()).as("a paused process is alive").isTrue();
      server.resume();
      assertThat(client.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void killedServerRefusesConnectionsAndRestartsOnTheSamePort() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = server.newClient(Duration.ofMillis(300))) {
      int port = server.port();
      client.set("k", "v");
      server.kill();
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(client::ping).isInstanceOf(JedisConnectionException.class);

      server.restart();
      assertThat(server.port()).isEqualTo(port);
      assertThat(client.get("k")).as("a restarted server is empty: nothing is persisted").isNull();
      assertThat(client.ping()).isEqualTo("PONG");

      server.stop();
      assertThat(server.isRunning()).isFalse();
    }
  }

  @Test
  void serverWithAnAofKeepsWhatItAcknowledgedAcrossKillAndRestart() {
    try (RedisServerProcess server = RedisServers.startStandalone("--appendonly", "yes", "--appendfsync", "always")) {
      try (RedisClient client = server.newClient(Duration.ofMillis(300))) {
        client.set("k", "v");
        client.eval("redis.call('SET', KEYS[1], redis.call('TIME')[1]) return 1", List.of("t"), List.of());
      }
      server.kill();
      server.restart();
      try (RedisClient client = server.newClient(Duration.ofMillis(300))) {
        assertThat(client.get("k")).as("reloaded from the AOF in the same directory").isEqualTo("v");
        assertThat(client.get("t")).isNotNull();
      }
    }
  }

  @Test
  void clusterWithReplicasFailsOverWhenAMasterDies() {
    try (RedisCluster cluster = RedisServers.startCluster(3, 1);
        RedisClusterClient client = cluster.newClient()) {
      assertThat(cluster.nodes()).hasSize(6);
      String key = TestKeys.unique("failover");
      client.set(key, "survives");
      RedisServerProcess master = cluster.masterFor(key);
      try (Jedis jedis = master.connect()) {
        assertThat(jedis.waitReplicas(1, 5000)).as("the write reached the replica").isEqualTo(1);
      }

      master.kill();
      cluster.awaitHealthy(Duration.ofSeconds(30));

      RedisServerProcess promoted = cluster.masterFor(key);
      assertThat(promoted).isNotEqualTo(master).isIn(cluster.replicas());
      assertThat(client.get(key)).isEqualTo("survives");
    }
  }

  @Test
  void commandStatsCountWhatAClientSent() {
    try (RedisServerProcess server = RedisServers.startStandalone(); RedisClient client = server.newClient()) {
      client.ping();
      CommandStats before = server.commandStats();
      client.set("a", "1");
      client.incr("a");
      client.incr("a");
      CommandStats sent = server.commandStats().minus(before);
      assertThat(sent.calls("set")).isEqualTo(1);
      assertThat(sent.calls("incr")).isEqualTo(2);
      assertThat(sent.total()).isEqualTo(3);
    }
  }

  @Test
  void binaryIsRedis62OrNewer() {
    RedisBinary binary = RedisBinary.locate();
    List<Integer> parts = java.util.Arrays.stream(binary.version().split("\\.")).map(Integer::parseInt).toList();
    assertThat(parts.get(0) * 100 + parts.get(1)).isGreaterThanOrEqualTo(602);
  }
}
