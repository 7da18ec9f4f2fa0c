package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.DistkitException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.Algorithm;
import io.distkit.hashing.LocatorAnalysis;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipListener;
import io.distkit.hashing.MembershipView;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/** What only the Redis membership does: server time, crashes of other processes, Redis outages, its keys. */
@ExtendWith(RedisExtension.class)
class RedisMembershipTest {

  private static final Duration LEASE = Duration.ofMillis(1500);
  private static final Duration RENEW = Duration.ofMillis(300);
  private static final Duration POLL = Duration.ofMillis(300);

  private static Process startMember(RedisServerProcess redis, String group, String nodeId) throws Exception {
    return startMember(redis, group, nodeId, Algorithm.RING, new CopyOnWriteArrayList<>());
  }

  /** A member in a JVM of its own; the lines it prints (its lease events) are added to {@code said}. */
  private static Process startMember(RedisServerProcess redis, String group, String nodeId, Algorithm algorithm,
      List<String> said) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        MemberProcess.class.getName(), RedisServerProcess.HOST, Integer.toString(redis.port()), group, nodeId,
        Long.toString(LEASE.toMillis()), Long.toString(RENEW.toMillis()), algorithm.name())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          said.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "member-output-" + nodeId);
    reader.setDaemon(true);
    reader.start();
    return process;
  }

  /** Sends a signal to a process, e.g. STOP and CONT. */
  private static void signal(Process process, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", name).isTrue();
  }

  @Test
  void aMemberFrozenPastItsLeaseHearsItAndRejoinsAtItsOldPlace(RedisServerProcess redis) throws Exception {
    // issue 12, item 6: under JUMP such a member rejoined last, and 6,693 of 10,000 keys changed owner
    String group = TestKeys.unique("frozen");
    List<String> said = new CopyOnWriteArrayList<>();
    List<String> keys = LocatorAnalysis.sampleKeys(10_000, 12);
    try (RedisClient client = redis.newClient();
        Membership<Node> observer = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .locator(LocatorConfig.jump()).pollInterval(POLL).build();
        Membership<Node> first = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .self(Node.of("m-0")).locator(LocatorConfig.jump()).lease(LEASE).renewInterval(RENEW)
            .pollInterval(POLL).build()) {
      Process frozen = startMember(redis, group, "m-1", Algorithm.JUMP, said);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.view().contains("m-1"));
        try (Membership<Node> third = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .self(Node.of("m-2")).locator(LocatorConfig.jump()).lease(LEASE).renewInterval(RENEW)
            .pollInterval(POLL).build()) {
          await().atMost(Duration.ofSeconds(10)).until(() -> observer.view().members().size() == 3
              && first.view().members().size() == 3 && third.view().members().size() == 3);
          MembershipView<Node> before = observer.view();
          assertThat(before.members()).extracting(Node::nodeId).containsExactly("m-0", "m-1", "m-2");

          signal(frozen, "STOP");
          await().atMost(Duration.ofSeconds(10)).until(() -> !observer.view().contains("m-1"));
          signal(frozen, "CONT");
          await().atMost(Duration.ofSeconds(10)).until(() -> said.contains("lease restored"));
          await().atMost(Duration.ofSeconds(10)).until(() -> observer.view().contains("m-1"));

          assertThat(said).containsSubsequence("lease lost", "lease restored");
          assertThat(observer.view().members()).extracting(Node::nodeId).containsExactly("m-0", "m-1", "m-2");
          assertThat(LocatorAnalysis.movement(before.locator(), observer.locator(), keys).moved())
              .as("keys whose owner changed across the freeze").isZero();
        }
      } finally {
        frozen.destroyForcibly();
      }
    }
  }

  @Test
  void afterRedisRestartsEmptyMembersRejoinInTheirOldOrder() {
    // issue 12, item 6: every member rejoined in whatever order its renewal came, and every JUMP key moved
    String group = TestKeys.unique("restart");
    List<String> keys = LocatorAnalysis.sampleKeys(10_000, 13);
    try (RedisServerProcess dedicated = RedisServers.startStandalone();
        RedisClient client = dedicated.newClient(Duration.ofMillis(300))) {
      List<Membership<Node>> members = new ArrayList<>();
      List<Long> heard = new CopyOnWriteArrayList<>();
      MembershipListener<Node> firstHears = (previous, current) -> heard.add(current.version());
      try {
        // the first to join renews slowest, so after the restart the members join again in reverse order
        for (int i = 0; i < 3; i++) {
          members.add(RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
              .self(Node.of("m-" + i)).locator(LocatorConfig.jump()).lease(Duration.ofSeconds(5))
              .renewInterval(Duration.ofMillis(600 - 200 * i)).pollInterval(Duration.ofMillis(200))
              .listener(i == 0 ? firstHears : (previous, current) -> {}).build());
        }
        Membership<Node> observer = members.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> observer.view().members().size() == 3);
        MembershipView<Node> before = observer.view();
        assertThat(before.members()).extracting(Node::nodeId).containsExactly("m-0", "m-1", "m-2");

        dedicated.kill();
        dedicated.restart();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          assertThat(observer.view().version()).isNotEqualTo(before.version());
          assertThat(observer.view().members()).extracting(Node::nodeId).containsExactly("m-0", "m-1", "m-2");
        });
        assertThat(LocatorAnalysis.movement(before.locator(), observer.locator(), keys).moved())
            .as("keys whose owner changed across the restart").isZero();
        // Redis lost the group, version and all: the versions it gave after are still above every earlier one
        assertThat(heard).as("versions the first member heard").isSorted().doesNotHaveDuplicates();
      } finally {
        members.forEach(Membership::close);
      }
    }
  }

  @Test
  void aKilledMemberIsGoneForOthersWithinLeasePlusPollIntervalByServerTime(RedisServerProcess redis)
      throws Exception {
    String group = TestKeys.unique("crash");
    try (RedisClient client = redis.newClient();
        Membership<Node> observer = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .pollInterval(POLL).build()) {
      Process member = startMember(redis, group, "doomed");
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> observer.view().contains("doomed"));
        // the member renews every 300 ms: its lease ends 1.2 to 1.5 s after the kill
        member.destroyForcibly();
        long killed = System.nanoTime();
        assertThat(member.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
            .until(() -> !observer.view().contains("doomed"));
        Duration seen = Duration.ofNanos(System.nanoTime() - killed);
        // not before the lease can have run out, and within lease + poll (plus a second of slack for a busy
        // machine; measured 1.5 to 1.7 s)
        assertThat(seen).isGreaterThanOrEqualTo(LEASE.minus(RENEW).minusMillis(100))
            .isLessThanOrEqualTo(LEASE.plus(POLL).plusSeconds(1));
      } finally {
        member.destroyForcibly();
      }
    }
  }

  @Test
  void everyKeyOfAGroupHasATtlAndOneHashTag(RedisServerProcess redis) {
    String group = TestKeys.unique("ttl");
    try (RedisClient client = redis.newClient();
        Membership<Node> member = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .self(Node.of("a")).lease(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(5)).build();
        Jedis jedis = redis.connect()) {
      for (String part : List.of("members", "leases", "joined", "meta", "version")) {
        String key = "distkit:hashing:{" + group + "}:" + part;
        assertThat(jedis.exists(key)).as(key).isTrue();
        // 3 × max(lease, poll) = 60 s
        assertThat(jedis.pttl(key)).as(key).isBetween(50_000L, 60_000L);
      }
      assertThat(member.view().members()).containsExactly(Node.of("a"));
    }
  }

  @Test
  void storedValuesCarryAFormatVersionAndAGroupInAnotherFormatIsRefused(RedisServerProcess redis) {
    String group = TestKeys.unique("format");
    String stem = "distkit:hashing:{" + group + "}:";
    try (RedisClient client = redis.newClient();
        Membership<Node> member = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .self(Node.of("a", 3)).build();
        Jedis jedis = redis.connect()) {
      byte[] stored = jedis.hget(bytes(stem + "members"), bytes("a"));
      assertThat(stored[0]).as("the node's format version").isEqualTo((byte) 1);
      assertThat(Arrays.copyOfRange(stored, 1, stored.length)).isEqualTo(TestNodes.CODEC.encode(Node.of("a", 3)));
      assertThat(jedis.hget(bytes(stem + "meta"), bytes("format"))).as("the group's layout").containsExactly(1);
      assertThat(jedis.get(bytes(stem + "version"))[0]).as("the version's format").isEqualTo((byte) 1);
      assertThat(Long.parseLong(new String(jedis.get(bytes(stem + "version")), StandardCharsets.US_ASCII)
          .substring(1))).isEqualTo(member.view().version());

      // a later release's layout: this one neither reads nor writes it, and says why
      jedis.hset(bytes(stem + "meta"), bytes("format"), new byte[] {2});
      assertThatThrownBy(member::refresh).isInstanceOf(DistkitException.class)
          .hasMessageContaining("has format version 2, this code reads 1");
      assertThatThrownBy(() -> RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC).build())
          .isInstanceOf(DistkitException.class).hasMessageContaining("has format version 2, this code reads 1");
      assertThat(member.view().members()).as("the last view, kept").containsExactly(Node.of("a", 3));
      jedis.del(stem + "meta"); // let the member leave
    }
  }

  @Test
  void aGroupRedisLostGetsVersionsAboveEveryEarlierOne(RedisServerProcess redis) {
    // a failover to a replica that had not synced, or a restart without persistence, loses the whole group;
    // its versions used to start again from 0, so an observer heard versions go back
    String group = TestKeys.unique("lost");
    String stem = "distkit:hashing:{" + group + "}:";
    List<Long> heard = new CopyOnWriteArrayList<>();
    try (RedisClient client = redis.newClient();
        Membership<Node> observer = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .pollInterval(Duration.ofHours(1)).listener((previous, current) -> heard.add(current.version())).build();
        Membership<Node> member = RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
            .self(Node.of("a")).lease(Duration.ofHours(1)).renewInterval(Duration.ofMinutes(59))
            .pollInterval(Duration.ofHours(1)).build();
        Jedis jedis = redis.connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> observer.view().contains("a"));
      long before = observer.view().version();
      for (String part : List.of("members", "leases", "joined", "meta", "departed", "version")) {
        jedis.del(stem + part);
      }
      MembershipView<Node> lost = observer.refresh();
      assertThat(lost.members()).isEmpty();
      assertThat(lost.version()).as("the lost group's version").isGreaterThan(before);
      MembershipView<Node> back = member.refresh(); // the member finds itself gone and rejoins
      await().atMost(Duration.ofSeconds(10)).until(() -> observer.view().contains("a"));
      assertThat(member.view().version()).isGreaterThanOrEqualTo(back.version()).isGreaterThan(lost.version());
      assertThat(heard).isSorted().doesNotHaveDuplicates();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void duringARedisOutageTheLastViewStaysAndTheMemberRejoinsWhenRedisReturns() {
    String group = TestKeys.unique("outage");
    List<String> events = new CopyOnWriteArrayList<>();
    try (RedisServerProcess redis = RedisServers.startStandalone();
        RedisClient memberClient = redis.newClient(Duration.ofMillis(300));
        RedisClient observerClient = redis.newClient(Duration.ofMillis(300));
        Membership<Node> member = RedisMembership.builder(RedisBackend.create(memberClient), group, TestNodes.CODEC)
            .self(Node.of("survivor")).lease(Duration.ofSeconds(2)).renewInterval(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(200)).listener(TestNodes.leaseEvents(events)).build();
        Membership<Node> observer = RedisMembership.builder(RedisBackend.create(observerClient), group,
            TestNodes.CODEC).pollInterval(Duration.ofMillis(200)).build()) {
      assertThat(observer.view().contains("survivor")).isTrue();
      long version = observer.view().version();

      redis.kill();
      assertThatThrownBy(observer::refresh).isInstanceOf(BackendUnavailableException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> member.stats().failures() >= 3);
      // no renewal confirmed for a lease's worth of time: the member knows it may be out
      await().atMost(Duration.ofSeconds(10)).until(() -> !member.holdsLease());
      // the listener hears it at the next renewal attempt, within one renewal interval
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
      assertThat(events).containsExactly("lost survivor");
      assertThat(member.holdsLease()).isFalse();
      assertThat(observer.view().version()).as("the last view, kept").isEqualTo(version);
      assertThat(observer.locator().locate("k").nodeId()).isEqualTo("survivor");

      // it comes back empty: the member's next renewal joins again, the observer hears it
      redis.restart();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(observer.view().version()).isNotEqualTo(version);
        assertThat(observer.view().contains("survivor")).isTrue();
      });
      await().atMost(Duration.ofSeconds(10)).until(member::holdsLease);
      assertThat(events).containsExactly("lost survivor", "restored survivor");
    }
  }

  @Test
  void buildFailsFastWhenRedisIsDown() {
    RedisServerProcess dead = RedisServers.startStandalone();
    dead.kill();
    try (RedisClient client = dead.newClient(Duration.ofMillis(200))) {
      assertThatThrownBy(() -> RedisMembership.builder(RedisBackend.create(client), "g", TestNodes.CODEC).build())
          .isInstanceOf(BackendUnavailableException.class);
    }
  }
}
