package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.Clock;
import io.distkit.core.DistkitException;
import io.distkit.core.session.Backoff;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Quorum reads over three real Redis servers, one of them frozen (SIGSTOP) and thawed under load: a checker over
 * the recorded history proves that no read returns a value older than the last write acknowledged before the read
 * began (issue 12, item 5).
 */
class RedisShardRouterQuorumTest {

  private static final Duration TTL = Duration.ofMinutes(5);
  /** Short, so the frozen server times out quickly and is ejected; a live one answers well inside it. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(400);

  @RegisterExtension
  final ShardServers shards = new ShardServers();

  /** A router with clients of its own, as another JVM would have: N = 3, W = 2 and the default read quorum. */
  private RedisShardRouter<Node> router() {
    return router(Clock.system());
  }

  private RedisShardRouter<Node> router(Clock clock) {
    return shards.track(shards.builder(CLIENT_TIMEOUT, new ArrayList<>())
        .locator(LocatorConfig.rendezvous()).replicationFactor(3).writeQuorum(2)
        .probeBackoff(Backoff.fixed(Duration.ofMillis(100))).clock(clock).build());
  }

  /** One operation of the history, timed on this JVM's monotonic clock. */
  private record Op(boolean write, String key, @Nullable String value, long start, long end, boolean acknowledged) {}

  @Test
  void noReadReturnsAValueOlderThanTheLastWriteAcknowledgedBeforeItBeganWhileAServerIsFrozenAndThawed()
      throws Exception {
    List<RedisShardRouter<Node>> clientsOfTheServers = List.of(router(), router());
    String prefix = TestKeys.unique("checker");
    List<String> keys = new ArrayList<>();
    ConcurrentLinkedQueue<Op> history = new ConcurrentLinkedQueue<>();
    for (int k = 0; k < 24; k++) {
      String key = prefix + ":" + k;
      keys.add(key);
      long start = System.nanoTime();
      clientsOfTheServers.get(0).set(key, bytes("init-" + k), TTL);
      history.add(new Op(true, key, "init-" + k, start, System.nanoTime(), true));
    }
    SplittableRandom[] randoms = {new SplittableRandom(0), new SplittableRandom(1), new SplittableRandom(2),
        new SplittableRandom(3)};
    RedisServerProcess frozen = shards.servers.get(1);
    Load load = new Load(4, (thread, n) -> {
      SplittableRandom random = randoms[thread];
      RedisShardRouter<Node> router = clientsOfTheServers.get(thread % 2);
      String key = keys.get(random.nextInt(keys.size()));
      long start = System.nanoTime();
      if (thread < 2) {
        // writers: unique values, and now and then a delete
        String value = random.nextInt(10) == 0 ? null : "w" + thread + "-" + n;
        boolean acknowledged;
        try {
          if (value == null) {
            router.delete(key);
          } else {
            router.set(key, bytes(value), TTL);
          }
          acknowledged = true;
        } catch (RuntimeException e) {
          acknowledged = false; // not acknowledged: it may or may not have been applied somewhere
        }
        history.add(new Op(true, key, value, start, System.nanoTime(), acknowledged));
      } else {
        try {
          byte[] read = router.get(key);
          history.add(new Op(false, key, read == null ? null : new String(read, StandardCharsets.UTF_8), start,
              System.nanoTime(), true));
        } catch (RuntimeException e) {
          // no quorum of replicas answered: no value returned, nothing to check
        }
      }
    });
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> history.size() >= 400);
      frozen.pause();
      int beforeThaw = history.size();
      // a second at least, so that it falls behind on every key
      await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
          .until(() -> history.size() >= beforeThaw + 600);
      frozen.resume();
      await().atMost(Duration.ofSeconds(20)).until(() -> clientsOfTheServers.stream()
          .noneMatch(r -> r.isEjected("shard-b")));
      int afterThaw = history.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> history.size() >= afterThaw + 1_500);
    } finally {
      load.close();
    }
    Check check = check(history);
    assertThat(check.reads).as("reads checked").isGreaterThan(500);
    assertThat(check.stale).as("reads that returned a value older than an earlier acknowledged write").isEmpty();
    // the thawed server came back behind on the keys written while it was frozen: reads repaired it
    assertThat(clientsOfTheServers.stream().mapToLong(r -> r.stats().readRepairs()).sum()).isPositive();
  }

  private record Check(int reads, List<String> stale) {}

  /**
   * For each read: the write whose value it returned must not have completed before another acknowledged write of
   * the key began that itself completed before the read began. Unacknowledged writes never completed, so they
   * are never "older"; a null read must come from a delete that is not outdated in the same way.
   */
  private static Check check(Collection<Op> history) {
    Map<String, List<Op>> writesByKey = new HashMap<>();
    for (Op op : history) {
      if (op.write()) {
        writesByKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    int reads = 0;
    List<String> stale = new ArrayList<>();
    for (Op read : history) {
      if (read.write()) {
        continue;
      }
      reads++;
      List<Op> writes = writesByKey.get(read.key());
      // the writes that could have produced what was read
      List<Op> sources = writes.stream().filter(w -> java.util.Objects.equals(w.value(), read.value()))
          .filter(w -> w.start() < read.end()).toList();
      if (sources.isEmpty()) {
        stale.add(read + ": no write produced this value");
        continue;
      }
      boolean fresh = sources.stream().anyMatch(source -> writes.stream().noneMatch(w -> w.acknowledged()
          && w.end() < read.start() && source.acknowledged() && source.end() < w.start()));
      if (!fresh) {
        stale.add(read + " returned a value overwritten before it began");
      }
    }
    return new Check(reads, stale);
  }

  /** A key whose replicas, in preference order, start with this shard. */
  private static String keyFirstOn(RedisShardRouter<Node> router, String shard, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + ":" + i;
      if (router.replicas(key).get(0).nodeId().equals(shard)) {
        return key;
      }
    }
  }

  /** What a server holds for a key, parsed as the router's format. */
  private VersionedValue storedOn(int server, String key) {
    try (Jedis jedis = shards.servers.get(server).connect()) {
      byte[] stored = jedis.get(bytes(key));
      assertThat(stored).as("%s on server %s", key, server).isNotNull();
      return VersionedValue.parse(stored, key);
    }
  }

  /**
   * Freezes a server until the router has ejected it, makes one write to its key (which the router then does not
   * send it), and thaws it. (A write sent to a frozen server times out for the router, but the server still
   * applies it when thawed: it sits in the socket.)
   */
  private void missedBy(int server, RedisShardRouter<Node> router, String key, Runnable write) {
    String shard = shards.nodes.get(server).nodeId();
    shards.servers.get(server).pause();
    try {
      while (!router.isEjected(shard)) {
        assertThat(router.get(key)).isNotNull(); // the frozen server is asked first and times out
      }
      write.run();
    } finally {
      shards.servers.get(server).resume();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !router.isEjected(shard));
  }

  @Test
  void aReadReturnsTheNewestVersionAndRepairsTheReplicaThatMissedIt() {
    RedisShardRouter<Node> router = router();
    String key = keyFirstOn(router, "shard-b", TestKeys.unique("repair"));
    router.set(key, bytes("v1"), TTL);
    missedBy(1, router, key, () -> assertThat(router.set(key, bytes("v2"), TTL).failed()).extracting(Node::nodeId)
        .containsExactly("shard-b"));
    assertThat(storedOn(1, key).value()).isEqualTo(bytes("v1"));
    // shard-b is asked first and answers v1; the next replica answers v2, which is newer
    assertThat(router.get(key)).isEqualTo(bytes("v2"));
    assertThat(router.stats().readRepairs()).isEqualTo(1);
    VersionedValue repaired = storedOn(1, key);
    assertThat(repaired.value()).isEqualTo(bytes("v2"));
    assertThat(repaired).isEqualTo(storedOn(0, key)).isEqualTo(storedOn(2, key));
    // the documented layout: format 1, version, writer, kind, value
    byte[] raw = repaired.stored();
    assertThat(raw[0]).isEqualTo((byte) 1);
    assertThat(raw[17]).isZero();
    assertThat(new String(raw, 18, raw.length - 18, StandardCharsets.UTF_8)).isEqualTo("v2");
    assertThat(repaired.version() >>> 16).as("the version's milliseconds").isCloseTo(System.currentTimeMillis(),
        org.assertj.core.api.Assertions.within(60_000L));
    try (Jedis jedis = shards.servers.get(1).connect()) {
      assertThat(jedis.pttl(key)).as("the repaired copy keeps the value's time to live").isBetween(1L, TTL.toMillis());
    }
    assertThat(router.get(key)).isEqualTo(bytes("v2"));
    assertThat(router.stats().readRepairs()).as("nothing left to repair").isEqualTo(1);
  }

  @Test
  void aDeleteLeavesATombstoneThatOutlivesTheValueAndIsRepairedLikeOne() {
    RedisShardRouter<Node> router = router();
    String key = keyFirstOn(router, "shard-b", TestKeys.unique("tombstone"));
    router.set(key, bytes("doomed"), Duration.ofHours(2));
    missedBy(1, router, key, () -> router.delete(key));
    assertThat(storedOn(1, key).tombstone()).isFalse();
    assertThat(router.get(key)).as("the tombstone is newer than the value shard-b still has").isNull();
    VersionedValue repaired = storedOn(1, key);
    assertThat(repaired.tombstone()).isTrue();
    assertThat(repaired.value()).isEmpty();
    try (Jedis jedis = shards.servers.get(0).connect()) {
      // the value had two hours: its tombstone keeps them, beyond the one-hour default
      assertThat(jedis.pttl(key)).isGreaterThan(Duration.ofMinutes(119).toMillis());
    }
    String never = TestKeys.unique("never-set");
    router.delete(never);
    try (Jedis jedis = shards.servers.get(0).connect()) {
      assertThat(jedis.pttl(never)).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }
    assertThat(router.get(never)).isNull();
  }

  @Test
  void aWriterWhoseClockIsAnHourBehindStillOverwritesAWriteThatCompletedBeforeIt() {
    ManualClock ahead = new ManualClock();
    ManualClock behind = new ManualClock(ManualClock.DEFAULT_START.minus(Duration.ofHours(1)));
    RedisShardRouter<Node> first = router(ahead);
    RedisShardRouter<Node> second = router(behind);
    String key = TestKeys.unique("skew");
    first.set(key, bytes("first"), TTL);
    long firstVersion = storedOn(0, key).version();
    // every replica refuses the second writer's older version and says which version it holds; the writer writes
    // again above it
    assertThat(second.set(key, bytes("second"), TTL).acknowledged()).hasSize(3);
    assertThat(first.get(key)).isEqualTo(bytes("second"));
    assertThat(second.get(key)).isEqualTo(bytes("second"));
    assertThat(storedOn(0, key).version()).as("above the first write's, from a clock an hour behind")
        .isGreaterThan(firstVersion);
    // and the first writer, having read the second's version, writes after it without being refused
    first.set(key, bytes("third"), TTL);
    assertThat(second.get(key)).isEqualTo(bytes("third"));
  }

  @Test
  void aValueOfAnotherFormatIsNeitherReadNorOverwritten() {
    RedisShardRouter<Node> router = router();
    String key = TestKeys.unique("foreign");
    for (RedisServerProcess server : shards.servers) {
      try (Jedis jedis = server.connect()) {
        jedis.set(key, "plain text");
      }
    }
    assertThatThrownBy(() -> router.get(key)).isInstanceOf(DistkitException.class)
        .hasMessage("Key '" + key + "' holds 10 bytes that are not a RedisShardRouter value of format 1 (first byte "
            + "112)");
    assertThatThrownBy(() -> router.set(key, bytes("v"), TTL)).isInstanceOf(DistkitException.class)
        .hasMessageStartingWith("Write of key '" + key + "' refused by shard ")
        .hasMessageEndingWith("the key holds 10 bytes that are not a RedisShardRouter value of format 1 (first byte "
            + "112): not overwritten");
    try (Jedis jedis = shards.servers.get(0).connect()) {
      assertThat(jedis.get(key)).isEqualTo("plain text");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
