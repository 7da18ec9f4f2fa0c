package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendUnavailableException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisExtension;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MemberProcess.class.getName(),
        RedisServerProcess.HOST, Integer.toString(redis.port()), group, nodeId, Long.toString(LEASE.toMillis()),
        Long.toString(RENEW.toMillis()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
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
      for (String part : List.of("members", "leases", "joined", "meta")) {
        String key = "distkit:hashing:{" + group + "}:" + part;
        assertThat(jedis.exists(key)).as(key).isTrue();
        // 3 × max(lease, poll) = 60 s
        assertThat(jedis.pttl(key)).as(key).isBetween(50_000L, 60_000L);
      }
      assertThat(member.view().members()).containsExactly(Node.of("a"));
    }
  }

  @Test
  void duringARedisOutageTheLastViewStaysAndTheMemberRejoinsWhenRedisReturns() {
    String group = TestKeys.unique("outage");
    try (RedisServerProcess redis = RedisServers.startStandalone();
        RedisClient memberClient = redis.newClient(Duration.ofMillis(300));
        RedisClient observerClient = redis.newClient(Duration.ofMillis(300));
        Membership<Node> member = RedisMembership.builder(RedisBackend.create(memberClient), group, TestNodes.CODEC)
            .self(Node.of("survivor")).lease(Duration.ofSeconds(2)).renewInterval(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(200)).build();
        Membership<Node> observer = RedisMembership.builder(RedisBackend.create(observerClient), group,
            TestNodes.CODEC).pollInterval(Duration.ofMillis(200)).build()) {
      assertThat(observer.view().contains("survivor")).isTrue();
      long version = observer.view().version();

      redis.kill();
      assertThatThrownBy(observer::refresh).isInstanceOf(BackendUnavailableException.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> member.stats().failures() >= 3);
      assertThat(observer.view().version()).as("the last view, kept").isEqualTo(version);
      assertThat(observer.locator().locate("k").nodeId()).isEqualTo("survivor");

      // it comes back empty: the member's next renewal joins again, the observer hears it
      redis.restart();
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        assertThat(observer.view().version()).isNotEqualTo(version);
        assertThat(observer.view().contains("survivor")).isTrue();
      });
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
