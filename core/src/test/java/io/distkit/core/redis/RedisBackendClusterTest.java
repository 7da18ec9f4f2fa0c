package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

class RedisBackendClusterTest extends RedisBackendContractTest {

  // a cluster of its own: SCRIPT FLUSH and exact command counts must not race with other tests
  private static final RedisCluster CLUSTER = RedisServers.startCluster(3, 0);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Override
  UnifiedJedis newClient() {
    return CLUSTER.newClient();
  }

  @Override
  CommandStats commandStats() {
    return CLUSTER.commandStats();
  }

  @Override
  int masters() {
    return CLUSTER.masters().size();
  }

  @Override
  void flushScripts() {
    for (RedisServerProcess node : CLUSTER.nodes()) {
      try (Jedis jedis = node.connect()) {
        jedis.scriptFlush();
      }
    }
  }

  @Test
  void scriptsRunOnEveryMasterForKeysInDifferentSlots() {
    Map<RedisServerProcess, Long> callsPerMaster = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      String name = TestKeys.unique("slot");
      // two parts of one name: different keys, one hash tag, one slot
      byte[] a = bytes(keys.key(name, "a"));
      byte[] b = bytes(keys.key(name, "b"));
      RedisScript both = RedisScript.of("both",
          "redis.call('SET', KEYS[1], ARGV[1], 'PX', 60000) redis.call('SET', KEYS[2], ARGV[1], 'PX', 60000) "
              + "return redis.call('MGET', KEYS[1], KEYS[2])");
      assertThat(backend.eval(both, List.of(a, b), List.of(bytes("v" + i))))
          .asInstanceOf(InstanceOfAssertFactories.list(byte[].class))
          .extracting(v -> new String(v, StandardCharsets.UTF_8)).containsExactly("v" + i, "v" + i);
      callsPerMaster.merge(CLUSTER.masterFor(keys.key(name, "a")), 1L, Long::sum);
    }
    assertThat(callsPerMaster.keySet()).containsExactlyInAnyOrderElementsOf(CLUSTER.masters());
  }

  @Test
  void keysInSeveralSlotsAreOurBugNotAnOutage() {
    byte[] a = bytes(keys.key(TestKeys.unique("x"), "a"));
    byte[] b = bytes(keys.key(TestKeys.unique("y"), "b"));
    assertThatThrownBy(() -> backend.eval(ECHO, List.of(a, b), List.of(bytes("v"))))
        .isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class);
  }
}
