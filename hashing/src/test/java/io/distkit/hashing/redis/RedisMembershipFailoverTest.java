package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisSentinel;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipListener;
import io.distkit.hashing.MembershipView;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;

/**
 * Membership across a failover of the Redis that holds the group: on Redis Cluster the master that serves the
 * group's slot is killed and its replica promoted; with Sentinel the master is killed and the sentinels promote
 * the replica. Three members renew and two observers read throughout, each with a client of its own (as separate
 * JVMs would), while a fourth member joins and leaves over and over until the kill, so the version moves up to
 * the moment the master dies.
 *
 * <p>Checked: every membership reads the group from the new master and the five views agree again, with the three
 * members; no view ever dropped one of them (their lease, 10 s, outlasts the failover); the versions each
 * membership heard only grow and each names one member list; a member that joins after the failover gets a
 * version above every version seen before. What happened (times from the kill, whether the promoted node had
 * lost the last writes) is printed, for the README.
 */
class RedisMembershipFailoverTest {

  private static final Duration LEASE = Duration.ofSeconds(10);
  private static final Duration RENEW = Duration.ofMillis(250);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> STEADY = List.of("m-0", "m-1", "m-2");

  @Test
  void aRedisClusterFailoverUnderMembersAndObservers() {
    try (RedisCluster cluster = RedisServers.startCluster(3, 1)) {
      String group = TestKeys.unique("cluster-failover");
      String versionKey = "distkit:hashing:{" + group + "}:version";
      new Scenario("Redis Cluster", group, () -> cluster.newClient(CLIENT_TIMEOUT)).run(
          () -> {
            RedisServerProcess victim = cluster.masterFor(versionKey);
            victim.kill();
            return () -> {
              cluster.awaitHealthy(WAIT);
              return cluster.masterFor(versionKey);
            };
          });
    }
  }

  @Test
  void aSentinelFailoverUnderMembersAndObservers() {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      String group = TestKeys.unique("sentinel-failover");
      new Scenario("Sentinel", group, () -> sentinel.newClient(CLIENT_TIMEOUT)).run(
          () -> {
            HostAndPort before = sentinel.currentMaster();
            sentinel.master().kill();
            return () -> {
              HostAndPort after = sentinel.awaitFailover(before, WAIT);
              assertThat(after).isEqualTo(sentinel.replica().hostAndPort());
              return sentinel.replica();
            };
          });
    }
  }

  /** Kills the master; returns what waits for the failover and names the new master. */
  @FunctionalInterface
  private interface Kill {
    Supplier<RedisServerProcess> kill();
  }

  /** One view as a membership heard it. */
  private record Heard(String who, long atNanos, long version, List<String> members) {}

  private static final class Scenario {
    final String deployment;
    final String group;
    final Supplier<UnifiedJedis> clients;
    final List<UnifiedJedis> opened = new ArrayList<>();
    final List<Heard> heard = new CopyOnWriteArrayList<>();
    final List<String> leaseEvents = new CopyOnWriteArrayList<>();

    Scenario(String deployment, String group, Supplier<UnifiedJedis> clients) {
      this.deployment = deployment;
      this.group = group;
      this.clients = clients;
    }

    RedisMembership.Builder<Node> builder(String who) {
      UnifiedJedis client = clients.get();
      opened.add(client);
      RedisBackend backend = RedisBackend.create(client, BackendGuard.builder().retryInterval(Duration.ofMillis(100))
          .build());
      return RedisMembership.builder(backend, group, TestNodes.CODEC).lease(LEASE).renewInterval(RENEW)
          .pollInterval(POLL).listener(new MembershipListener<>() {
            @Override
            public void onChange(MembershipView<Node> previous, MembershipView<Node> current) {
              heard.add(new Heard(who, System.nanoTime(), current.version(),
                  current.members().stream().map(Node::nodeId).toList()));
            }

            @Override
            public void onLeaseLost(Node self) {
              leaseEvents.add("lost " + self.nodeId());
            }

            @Override
            public void onLeaseRestored(Node self) {
              leaseEvents.add("restored " + self.nodeId());
            }
          });
    }

    void run(Kill kill) {
      List<Membership<Node>> all = new ArrayList<>();
      AtomicBoolean churning = new AtomicBoolean(true);
      Thread churn = null;
      try {
        for (String id : STEADY) {
          all.add(builder(id).self(Node.of(id)).build());
        }
        all.add(builder("o-0").build());
        all.add(builder("o-1").build());
        await().atMost(WAIT).until(() -> agree(all));

        RedisMembership.Builder<Node> churner = builder("churn").self(Node.of("churn"));
        churn = new Thread(() -> {
          while (churning.get()) {
            try (Membership<Node> member = churner.build()) {
              pause(100); // joined; its close() leaves
            } catch (RuntimeException e) {
              pause(50); // Redis unavailable: try again
            }
          }
        }, "churn");
        churn.start();
        await().atMost(WAIT).until(() -> heard.stream().filter(h -> h.members().contains("churn")).count() >= 10);
        long seenBeforeKill = heard.stream().mapToLong(Heard::version).max().orElseThrow();

        churning.set(false);
        long killedAt = System.nanoTime();
        Supplier<RedisServerProcess> failover = kill.kill();
        churn.join(WAIT.toMillis());
        long maxSeenAtKill = heard.stream().mapToLong(Heard::version).max().orElseThrow();
        RedisServerProcess promoted = failover.get();
        long failedOverAt = System.nanoTime();
        long promotedVersion = storedVersion(promoted);
        long[] readsAtFailover = all.stream().mapToLong(m -> m.stats().reads()).toArray();
        long failuresBefore = all.stream().mapToLong(m -> m.stats().failures()).sum();

        // every membership has read the group from the new master, and the views agree, with every steady member
        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
          for (int i = 0; i < all.size(); i++) {
            if (all.get(i).stats().reads() <= readsAtFailover[i]) {
              return false;
            }
          }
          return agree(all) && all.subList(0, STEADY.size()).stream().allMatch(Membership::holdsLease);
        });
        long agreedAt = System.nanoTime();
        long failed = all.stream().mapToLong(m -> m.stats().failures()).sum();

        // a member that joins now: seen by everyone, with a version above every version before the failover
        all.add(builder("late").self(Node.of("late")).build());
        await().atMost(WAIT).until(() -> agree(all) && all.get(0).view().contains("late"));
        long lateVersion = all.get(0).view().version();

        long dropped = heard.stream().filter(h -> h.atNanos() > killedAt)
            .filter(h -> !h.members().containsAll(STEADY)).count();
        System.out.printf("membership %s failover: promoted after %d ms; views agreed again %d ms after the kill "
                + "(%d ms after the promotion); failed renewals and reads, all memberships: %d by the promotion, %d "
            + "by the agreement; steady members dropped from a view: %d; lease events: %s; version "
                + "before the kill %d, highest seen %d, on the promoted node %d (%s); first version after: %d%n",
            deployment, (failedOverAt - killedAt) / 1_000_000, (agreedAt - killedAt) / 1_000_000,
            (agreedAt - failedOverAt) / 1_000_000, failuresBefore, failed, dropped, leaseEvents, seenBeforeKill,
            maxSeenAtKill,
            promotedVersion, promotedVersion < maxSeenAtKill ? "the last writes were lost" : "nothing lost",
            lateVersion);

        if (dropped > 0) {
          heard.stream().filter(h -> h.atNanos() > killedAt - 1_000_000_000L).forEach(h -> System.out.printf(
              "  %+6d ms %s v%d %s%n", (h.atNanos() - killedAt) / 1_000_000, h.who(), h.version(), h.members()));
        }
        assertThat(dropped).as("steady members (lease 10 s) dropped from a view during the failover").isZero();
        assertThat(leaseEvents).as("no steady member lost its lease").noneMatch(e -> e.startsWith("lost m-"));
        assertThat(lateVersion).as("a version after the failover").isGreaterThan(maxSeenAtKill);
        checkVersions();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } finally {
        churning.set(false);
        all.forEach(Membership::close);
        opened.forEach(UnifiedJedis::close);
      }
    }

    /**
     * Each membership heard growing versions, and no version named two member lists anywhere. (The churning
     * member is a new membership each time: only its lists count.)
     */
    private void checkVersions() {
      Map<String, Long> last = new HashMap<>();
      Map<Long, List<String>> listOf = new HashMap<>();
      for (Heard h : heard) {
        Long before = h.who().equals("churn") ? null : last.put(h.who(), h.version());
        if (before != null) {
          assertThat(h.version()).as("%s heard version %s after %s", h.who(), h.version(), before)
              .isGreaterThan(before);
        }
        List<String> other = listOf.putIfAbsent(h.version(), h.members());
        if (other != null) {
          assertThat(h.members()).as("the members of version %s", h.version()).isEqualTo(other);
        }
      }
    }

    private static boolean agree(List<Membership<Node>> all) {
      MembershipView<Node> first = all.get(0).view();
      if (!first.members().stream().map(Node::nodeId).toList().containsAll(STEADY)) {
        return false;
      }
      return all.stream().allMatch(m -> m.view().version() == first.version()
          && m.view().members().equals(first.members()));
    }

    private long storedVersion(RedisServerProcess master) {
      byte[] key = ("distkit:hashing:{" + group + "}:version").getBytes(StandardCharsets.UTF_8);
      try (Jedis jedis = master.connect()) {
        byte[] stored = jedis.get(key);
        return stored == null ? 0 : Long.parseLong(new String(stored, 1, stored.length - 1, StandardCharsets.US_ASCII));
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis); // paces the churn: a join and a leave every ~100 ms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
