package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisClusterCRC16;

@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class RedisBatchTest {

  private static final RedisScript DOUBLE = RedisScript.of("double",
      "local v = tonumber(redis.call('GET', KEYS[1]) or '0') * 2 "
          + "redis.call('SET', KEYS[1], v, 'PX', 60000) return v");
  private final RedisKeys keys = RedisKeys.of("test");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<byte[]> keysInManySlots(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(bytes(keys.key(TestKeys.unique("batch"), "v")));
    }
    return out;
  }

  @ContractTest
  void repliesComeBackInTheOrderAddedWhateverSlotEachKeyIsIn(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    List<byte[]> many = keysInManySlots(200);
    RedisBatch writes = RedisBatch.on(backend);
    for (int i = 0; i < many.size(); i++) {
      byte[] key = many.get(i);
      byte[] value = bytes(Integer.toString(i));
      writes.command(key, p -> p.set(key, value, SetParams.setParams().px(60_000)));
    }
    assertThat(writes.execute()).hasSize(200).allMatch(RedisBatch.Reply::ok);

    RedisBatch reads = RedisBatch.on(backend);
    for (byte[] key : many) {
      reads.command(key, p -> p.get(key));
      reads.eval(DOUBLE, List.of(key), List.of());
    }
    List<RedisBatch.Reply> replies = reads.execute();
    for (int i = 0; i < many.size(); i++) {
      assertThat(new String((byte[]) replies.get(2 * i).get(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(i));
      assertThat(replies.get(2 * i + 1).get()).isEqualTo(2L * i);
    }
  }

  @ContractTest
  void aBatchCostsOneCommandPerEntryAndNothingElse(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    List<byte[]> many = keysInManySlots(300);
    RedisBatch warm = RedisBatch.on(backend);
    many.forEach(key -> warm.eval(DOUBLE, List.of(key), List.of()));
    warm.execute(); // loads the script and opens a pooled connection to every master
    CommandStats before = deployment.commandStats();
    RedisBatch batch = RedisBatch.on(backend);
    many.forEach(key -> batch.eval(DOUBLE, List.of(key), List.of()));
    batch.execute();
    CommandStats sent = deployment.commandStats().minus(before);
    assertThat(sent.calls("evalsha")).as(sent.toString()).isEqualTo(300);
    assertThat(sent.total() - sent.calls("get") - sent.calls("set")).as(sent.toString()).isEqualTo(300);
  }

  @ContractTest
  void aScriptRedisForgotIsLoadedAndItsCallsRunAgainOnce(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    RedisScript fresh = RedisScript.of("fresh-" + TestKeys.unique("s"), "return 7");
    RedisBatch batch = RedisBatch.on(backend);
    for (byte[] key : keysInManySlots(20)) {
      batch.eval(fresh, List.of(key), List.of());
    }
    assertThat(batch.execute()).extracting(RedisBatch.Reply::get).containsOnly(7L);
  }

  @ContractTest
  void anErrorOfOneCommandIsThatCommandsAlone(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    byte[] hash = bytes(keys.key(TestKeys.unique("hash"), "h"));
    byte[] plain = bytes(keys.key(TestKeys.unique("plain"), "p"));
    backend.execute(j -> j.hset(hash, bytes("f"), bytes("v")));
    backend.execute(j -> j.pexpire(hash, 60_000));
    RedisBatch batch = RedisBatch.on(backend);
    batch.command(hash, p -> p.get(hash)); // WRONGTYPE
    batch.command(plain, p -> p.get(plain));
    List<RedisBatch.Reply> replies = batch.execute();
    assertThat(replies.get(0).ok()).isFalse();
    assertThat(replies.get(0).error()).isInstanceOf(DistkitException.class)
        .isNotInstanceOf(BackendUnavailableException.class).hasMessageContaining("WRONGTYPE");
    assertThatThrownBy(() -> replies.get(0).get()).hasMessageContaining("WRONGTYPE");
    assertThat(replies.get(1).ok()).isTrue();
    assertThat(replies.get(1).value()).isNull();
    assertThat(RedisBatch.on(backend).execute()).isEmpty();
  }

  @Test
  void onClusterEachMasterGetsOnePipelineOfItsOwnSlots() {
    RedisCluster cluster = RedisServers.cluster();
    try (RedisClusterClient client = cluster.newClient()) {
      RedisBackend backend = RedisBackend.create(client);
      List<byte[]> many = keysInManySlots(100);
      Set<Integer> slots = new HashSet<>();
      many.forEach(k -> slots.add(JedisClusterCRC16.getSlot(k)));
      RedisBatch batch = RedisBatch.on(backend);
      many.forEach(key -> batch.command(key, p -> p.set(key, key, SetParams.setParams().px(60_000))));
      assertThat(batch.execute()).allMatch(RedisBatch.Reply::ok);
      for (byte[] key : many) {
        try (Jedis owner = cluster.masterFor(new String(key, StandardCharsets.UTF_8)).connect()) {
          assertThat(owner.get(key)).as("written on the master of its slot").isEqualTo(key);
        }
      }
      assertThat(slots.size()).isGreaterThan(50);
    }
  }

  @Test
  void whenRedisIsDownTheWholeBatchFailsAndTheGuardRemembers() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        RedisClient client = server.newClient()) {
      RedisBackend backend = RedisBackend.create(client);
      server.kill();
      RedisBatch batch = RedisBatch.on(backend);
      byte[] key = bytes("k");
      batch.command(key, p -> p.get(key));
      assertThatThrownBy(batch::execute).isInstanceOf(BackendUnavailableException.class);
      RedisBatch next = RedisBatch.on(backend);
      next.command(key, p -> p.get(key));
      assertThatThrownBy(next::execute).isInstanceOfSatisfying(BackendUnavailableException.class,
          e -> assertThat(e.isFailFast()).isTrue());
      assertThatThrownBy(batch::execute).isInstanceOf(IllegalStateException.class);
    }
  }
}
