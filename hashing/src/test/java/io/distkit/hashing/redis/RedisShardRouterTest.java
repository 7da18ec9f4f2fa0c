package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Backoff;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.LocatorAnalysis;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/** Sharding over three real, independent Redis servers of this test's own (it kills and restarts them). */
class RedisShardRouterTest {

  private static final Duration TTL = Duration.ofMinutes(5);
  /**
   * Generous: a killed server refuses connections at once, so no test waits for it, and a healthy server on a
   * busy machine must not time out (that would eject it and fail writes the test expects to succeed).
   */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension
  final ShardServers shards = new ShardServers();

  private RedisShardRouter.Builder<Node> builder() {
    return shards.builder(CLIENT_TIMEOUT, new ArrayList<>()).locator(LocatorConfig.rendezvous())
        .probeBackoff(Backoff.fixed(Duration.ofMillis(100)));
  }

  private RedisShardRouter<Node> router(int replicas, int quorum, RedisShardRouter.Listener<Node> listener) {
    RedisShardRouter<Node> router = builder().replicationFactor(replicas).writeQuorum(quorum).listener(listener)
        .build();
    shards.track(router);
    return router;
  }

  private RedisServerProcess serverOf(Node node) {
    return shards.serverOf(node);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachKeyLivesOnItsReplicasAndNowhereElse() {
    RedisShardRouter<Node> router = router(2, 2, new RedisShardRouter.Listener<>() {});
    List<String> keys = LocatorAnalysis.sampleKeys(300, 1);
    for (String key : keys) {
      assertThat(router.set(key, bytes("v-" + key), TTL).acknowledged()).hasSize(2);
    }
    int[] perServer = new int[3];
    for (String key : keys) {
      List<Node> replicas = router.replicas(key);
      assertThat(replicas).hasSize(2).doesNotHaveDuplicates();
      for (Node node : shards.nodes) {
        try (Jedis jedis = serverOf(node).connect()) {
          boolean present = jedis.exists(key);
          assertThat(present).as("%s on %s", key, node).isEqualTo(replicas.contains(node));
          if (present) {
            assertThat(jedis.pttl(key)).isPositive();
            perServer[shards.nodes.indexOf(node)]++;
          }
        }
      }
      assertThat(router.get(key)).isEqualTo(bytes("v-" + key));
    }
    // rendezvous spreads 600 copies over three servers: about 200 each
    for (int count : perServer) {
      assertThat(count).isBetween(150, 250);
    }
    assertThat(router.get("absent")).isNull();
    router.delete(keys.get(0));
    assertThat(router.get(keys.get(0))).isNull();
    assertThat(router.stats().writes()).isEqualTo(keys.size() + 1);
  }

  @Test
  void aWriteThatMissesItsQuorumIsNotAcknowledged() {
    RedisShardRouter<Node> router = router(2, 2, new RedisShardRouter.Listener<>() {});
    serverOf(shards.nodes.get(1)).kill();
    int refused = 0;
    for (String key : LocatorAnalysis.sampleKeys(100, 2)) {
      if (router.replicas(key).contains(shards.nodes.get(1))) {
        assertThatThrownBy(() -> router.set(key, bytes("v"), TTL))
            .isInstanceOfSatisfying(WriteQuorumException.class, e -> {
              assertThat(e.acknowledged()).isEqualTo(1);
              assertThat(e.required()).isEqualTo(2);
            })
            .hasMessageContaining("reached 1 of 2 replicas, fewer than the write quorum 2");
        refused++;
      } else {
        assertThat(router.set(key, bytes("v"), TTL).acknowledged()).hasSize(2);
      }
    }
    assertThat(refused).isPositive();
    assertThat(router.stats().quorumFailures()).isEqualTo(refused);
  }

  @Test
  void aFailingServerIsEjectedAfterFailuresInARowAndReturnsWhenItAnswers() throws Exception {
    CountDownLatch ejected = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(1);
    List<String> events = new CopyOnWriteArrayList<>();
    RedisShardRouter<Node> router = router(1, 1, new RedisShardRouter.Listener<>() {
      @Override
      public void onEjected(Node shard, Throwable cause) {
        events.add("ejected " + shard.nodeId());
        ejected.countDown();
      }

      @Override
      public void onReturned(Node shard, Duration ejectedFor) {
        events.add("returned " + shard.nodeId());
        returned.countDown();
      }
    });
    List<String> onA = LocatorAnalysis.sampleKeys(200, 3).stream()
        .filter(key -> router.replicas(key).get(0).nodeId().equals("shard-a")).toList();
    serverOf(shards.nodes.get(0)).kill();
    for (int i = 0; i < 2; i++) {
      String key = onA.get(i);
      assertThatThrownBy(() -> router.get(key)).isInstanceOf(BackendUnavailableException.class);
      assertThat(router.isEjected("shard-a")).as("after %s failures", i + 1).isFalse();
    }
    assertThatThrownBy(() -> router.get(onA.get(2))).isInstanceOf(BackendUnavailableException.class);
    assertThat(ejected.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(router.isEjected("shard-a")).isTrue();

    serverOf(shards.nodes.get(0)).restart();
    assertThat(returned.await(10, TimeUnit.SECONDS)).as("back within a few probes").isTrue();
    assertThat(router.isEjected("shard-a")).isFalse();
    router.set(onA.get(0), bytes("again"), TTL);
    assertThat(router.get(onA.get(0))).isEqualTo(bytes("again"));
    assertThat(events).containsExactly("ejected shard-a", "returned shard-a");
    assertThat(router.stats().ejections()).isEqualTo(1);
    assertThat(router.stats().returns()).isEqualTo(1);
    assertThatThrownBy(() -> router.isEjected("nope")).hasMessage("no shard has nodeId 'nope'");
  }

  @Test
  void anEjectedServerIsProbedOnTheRoutersSchedulerWithBackoff() {
    ManualClock clock = new ManualClock();
    ManualScheduler manual = new ManualScheduler(clock);
    List<String> events = new CopyOnWriteArrayList<>();
    RedisShardRouter.Builder<Node> builder = RedisShardRouter.<Node>builder().locator(LocatorConfig.rendezvous())
        .scheduler(manual).clock(clock)
        .probeBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(4)).withJitter(Backoff.Jitter.NONE))
        .listener(new RedisShardRouter.Listener<>() {
          @Override
          public void onEjected(Node shard, Throwable cause) {
            events.add("ejected " + shard.nodeId());
          }

          @Override
          public void onReturned(Node shard, Duration ejectedFor) {
            events.add("returned " + shard.nodeId() + " after " + ejectedFor);
          }
        });
    List<RedisClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RedisClient client = shards.servers.get(i).newClient(CLIENT_TIMEOUT);
        clients.add(client);
        // the guard's retry interval runs on the manual clock too, so a probe is let through once time moved
        builder.shard(shards.nodes.get(i), RedisBackend.create(client, BackendGuard.builder().clock(clock)
            .retryInterval(Duration.ofMillis(500)).build()));
      }
      RedisShardRouter<Node> router = shards.track(builder.build());
      assertThat(manual.pending()).as("no probe while every server is healthy").isZero();
      List<String> onA = LocatorAnalysis.sampleKeys(200, 4).stream()
          .filter(key -> router.replicas(key).get(0).nodeId().equals("shard-a")).toList();
      RedisServerProcess a = shards.servers.get(0);
      a.kill();
      for (int i = 0; i < 3; i++) {
        String key = onA.get(i);
        assertThatThrownBy(() -> router.get(key)).isInstanceOf(BackendUnavailableException.class);
      }
      assertThat(router.isEjected("shard-a")).isTrue();

      // probes 1 s, 2 s, then 4 s (the cap) apart, run by the scheduler as time moves
      assertThat(manual.nextDue()).contains(Duration.ofSeconds(1));
      manual.advance(Duration.ofSeconds(1));
      assertThat(manual.nextDue()).as("after a failed probe").contains(Duration.ofSeconds(2));
      manual.advance(Duration.ofSeconds(2));
      assertThat(manual.nextDue()).contains(Duration.ofSeconds(4));
      a.restart();
      manual.advance(Duration.ofSeconds(3));
      assertThat(router.isEjected("shard-a")).as("the next probe is not due yet").isTrue();
      manual.advance(Duration.ofSeconds(1));
      assertThat(router.isEjected("shard-a")).as("the probe at 7 s found it back").isFalse();
      assertThat(manual.pending()).isZero();
      assertThat(events).containsExactly("ejected shard-a", "returned shard-a after PT7S");
      assertThat(manual.failures()).isEmpty();
    } finally {
      clients.forEach(RedisClient::close);
    }
  }

  /**
   * The checker: writers write fresh keys (so a later write can not heal an earlier loss) and record every
   * acknowledged one; after a server was killed and restarted (empty) under load, every acknowledged key must
   * read back its value.
   */
  @ParameterizedTest(name = "R={0}, W={1}")
  @CsvSource({"2, 1", "3, 2"})
  void noAcknowledgedWriteIsLostWhileAtMostRMinusWServersAreDown(int replicas, int quorum) throws Exception {
    CountDownLatch ejected = new CountDownLatch(1);
    CountDownLatch returned = new CountDownLatch(1);
    RedisShardRouter<Node> router = router(replicas, quorum, new RedisShardRouter.Listener<>() {
      @Override
      public void onEjected(Node shard, Throwable cause) {
        ejected.countDown();
      }

      @Override
      public void onReturned(Node shard, Duration ejectedFor) {
        returned.countDown();
      }
    });
    String prefix = TestKeys.unique("quorum");
    int writers = 3;
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    AtomicLong refused = new AtomicLong();
    Load load = new Load(writers, (writer, n) -> {
      String key = prefix + ":" + writer + ":" + n;
      String value = "value-" + writer + "-" + n;
      try {
        router.set(key, bytes(value), TTL);
        acknowledged.put(key, value);
      } catch (WriteQuorumException e) {
        refused.incrementAndGet();
      }
    });
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 500);
      RedisServerProcess victim = shards.servers.get(1);
      victim.kill();
      assertThat(ejected.await(20, TimeUnit.SECONDS)).as("the killed server is ejected").isTrue();
      int beforeRestart = acknowledged.size();
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= beforeRestart + 500);
      victim.restart();
      assertThat(returned.await(20, TimeUnit.SECONDS)).as("the restarted server returns").isTrue();
      int afterReturn = acknowledged.size();
      await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= afterReturn + 500);
    } finally {
      load.close();
    }
    // with one server down, every key still had N - 1 >= W healthy replicas
    assertThat(refused.get()).as("writes refused while one server was down").isZero();
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1500);
    for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
      // with R = N = 2 a read needs both servers: the restarted one's client may still hand out a connection
      // broken by the kill (its guard then fails fast for a moment), which is unavailability, not loss
      byte[] value;
      try {
        value = router.get(entry.getKey());
      } catch (ReadQuorumException e) {
        value = await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(10))
            .ignoreExceptionsInstanceOf(ReadQuorumException.class).until(() -> router.get(entry.getKey()), v -> true);
      }
      assertThat(value).as("acknowledged key %s", entry.getKey()).isNotNull();
      assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo(entry.getValue());
    }
  }

  @Test
  void readsFailOverToTheNextReplicaAndFailWhenNoneAnswers() {
    RedisShardRouter<Node> router = builder().replicationFactor(2).writeQuorum(1).readQuorum(1).build();
    shards.track(router);
    String key = TestKeys.unique("failover");
    router.set(key, bytes("v"), TTL);
    List<Node> replicas = router.replicas(key);
    serverOf(replicas.get(0)).kill();
    assertThat(router.get(key)).isEqualTo(bytes("v"));
    boolean exists = router.read(key, jedis -> jedis.exists(key));
    assertThat(exists).isTrue();
    serverOf(replicas.get(1)).kill();
    assertThatThrownBy(() -> router.get(key)).isInstanceOf(ReadQuorumException.class)
        .hasMessageStartingWith("Read of key '" + key + "' reached 0 of 2 replicas, fewer than the read quorum 1");
    assertThatThrownBy(() -> router.read(key, jedis -> jedis.exists(key)))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("No replica of key '" + key + "' is available");
  }

  @Test
  void aReadNeedsItsQuorum() {
    // N = 2, W = 1: the default read quorum is 2, so that every read meets every acknowledged write
    RedisShardRouter<Node> router = router(2, 1, new RedisShardRouter.Listener<>() {});
    String key = TestKeys.unique("quorum");
    router.set(key, bytes("v"), TTL);
    serverOf(router.replicas(key).get(1)).kill();
    assertThatThrownBy(() -> router.get(key)).isInstanceOfSatisfying(ReadQuorumException.class, e -> {
      assertThat(e.answered()).isEqualTo(1);
      assertThat(e.required()).isEqualTo(2);
    });
  }

  @Test
  void keysWithAnUnpairedSurrogateAreRefusedInsteadOfMergingWithTheirQuestionMarkForm() {
    // issue 12, item 4: "user:\uD800" became the bytes of "user:?", so a get of one returned the other's value
    RedisShardRouter<Node> router = router(2, 1, new RedisShardRouter.Listener<>() {});
    String malformed = "user:\uD800";
    router.set("user:?", bytes("question mark"), TTL);
    assertThatThrownBy(() -> router.set(malformed, bytes("v"), TTL)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key ('user:\\uD800') holds an unpaired surrogate U+D800 at index 5: it has no UTF-8 form "
            + "(encoding it as '?' would give distinct keys one Redis key)");
    assertThatThrownBy(() -> router.get(malformed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.delete(malformed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.read(malformed, jedis -> jedis.get("user:?")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.write(malformed, jedis -> jedis.del("user:?")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.replicas("user:\uDC00x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+DC00 at index 5");
    assertThat(router.get("user:?")).isEqualTo(bytes("question mark"));
    // well-formed pairs are fine
    router.set("user:\uD83D\uDE42", bytes("smile"), TTL);
    assertThat(router.get("user:\uD83D\uDE42")).isEqualTo(bytes("smile"));
  }

  @Test
  void badSettingsFailFastNamingTheValue() {
    assertThatThrownBy(() -> builder().replicationFactor(4).build())
        .hasMessage("replicationFactor (4) must be at most the number of shards (3)");
    assertThatThrownBy(() -> builder().replicationFactor(2).writeQuorum(3).build())
        .hasMessage("writeQuorum (3) must be at most replicationFactor (2)");
    assertThatThrownBy(() -> builder().replicationFactor(2).readQuorum(3).build())
        .hasMessage("readQuorum (3) must be at most replicationFactor (2)");
    assertThatThrownBy(() -> builder().readQuorum(0)).hasMessage("readQuorum (0) must be positive");
    assertThatThrownBy(() -> builder().tombstoneTtl(Duration.ZERO)).hasMessage("tombstoneTtl (PT0S) must be positive");
    assertThatThrownBy(() -> builder().ejectAfter(0)).hasMessage("ejectAfter (0) must be positive");
    assertThatThrownBy(() -> RedisShardRouter.<Node>builder().build()).hasMessage("a router needs at least one shard");
    List<RedisBackend> backends = new ArrayList<>();
    RedisShardRouter.Builder<Node> full = shards.builder(CLIENT_TIMEOUT, backends);
    assertThatThrownBy(() -> full.shard(Node.of("shard-a"), backends.get(0)))
        .hasMessage("nodeId 'shard-a' appears twice: shard ids must be distinct");
  }
}
