package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

/**
 * The session pieces across a Redis Cluster failover: the master that serves their slot is killed and its
 * replica promoted. Fencing tokens keep growing, the subscription comes back on the new master and reports
 * its gap, and a lease is either still held on the new master or reported lost: never believed held when the
 * cluster no longer has it.
 */
class ClusterFailoverTest {

  private static final RedisCluster CLUSTER = RedisServers.startCluster(3, 1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void fencingSubscriptionsAndLeasesComeThroughTheKillOfTheirMaster() {
    String name = TestKeys.unique("failover");
    RedisKeys keys = RedisKeys.of("test");
    String leaseKey = keys.key(name, "leases");
    String tokenKey = keys.key(name, "token");
    String channel = keys.key(name, "events");
    Map<String, Lease.LostReason> lost = new ConcurrentHashMap<>();
    RedisSubscriptionsTest.Recorder recorder = new RedisSubscriptionsTest.Recorder();
    try (RedisClusterClient client = CLUSTER.newClient(Duration.ofMillis(500));
        Scheduler scheduler = Scheduler.create("failover");
        RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(client,
                BackendGuard.builder().retryInterval(Duration.ofMillis(100)).build()))
            .scheduler(scheduler).reconnectBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(500)))
            .build();
        RedisLeases leases = RedisLeases.builder(RedisBackend.create(client)).scheduler(scheduler)
            .checkInterval(Duration.ofMillis(100)).build()) {
      RedisBackend backend = RedisBackend.create(client, BackendGuard.builder().retryInterval(Duration.ofMillis(100))
          .build());
      RedisFencing fencing = RedisFencing.create(backend);
      FencingToken before = fencing.next(tokenKey);
      var subscription = hub.subscribe(channel, recorder);
      await().atMost(WAIT).until(subscription::isLive);
      Lease lease = leases.tryAcquire(LeaseRequest.of(leaseKey, "holder", Duration.ofSeconds(10)),
          (l, reason) -> lost.put(l.id(), reason)).orElseThrow();
      hub.publish(channel, bytes("before"));
      await().atMost(WAIT).until(() -> recorder.messages().size() == 1);

      RedisServerProcess victim = CLUSTER.masterFor(leaseKey);
      victim.kill();
      long renewalsBefore = leases.stats().renewals();
      await().atMost(WAIT).until(() -> recorder.count("interrupted") == 1);
      CLUSTER.awaitHealthy(WAIT);
      RedisServerProcess promoted = CLUSTER.masterFor(leaseKey);
      assertThat(promoted).isNotSameAs(victim);

      FencingToken after = await().atMost(WAIT).ignoreExceptions().until(() -> fencing.next(tokenKey), t -> true);
      assertThat(after.isNewerThan(before)).as("tokens never go back across a failover").isTrue();

      await().atMost(WAIT).until(subscription::isLive);
      hub.publish(channel, bytes("after"));
      await().atMost(WAIT).until(() -> recorder.messages().size() == 2);
      assertThat(recorder.events).containsExactly("missed", "message before", "interrupted", "missed",
          "message after");
      assertThat(hub.stats().gaps()).isEqualTo(1);

      // renewals reach the new master; a lease it does not have is reported, never silently kept
      await().atMost(WAIT).until(() -> lost.containsKey("holder")
          || (lease.isValid() && leases.stats().renewals() > renewalsBefore));
      if (lease.isValid()) {
        try (Jedis node = promoted.connect()) {
          assertThat(node.zscore(leaseKey, "holder")).as("a valid lease exists on the new master").isNotNull();
        }
      } else {
        assertThat(lost.get("holder")).isIn(Lease.LostReason.GONE, Lease.LostReason.EXPIRED);
      }

      victim.restart(); // rejoins as a replica of the promoted node
      CLUSTER.awaitHealthy(WAIT);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
