package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipStats;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A Redis membership's background work driven by a {@link ManualScheduler}: renewals, polls and the re-read
 * after a resubscription run when the test moves the clock, on the test's thread. Only network events (a
 * message, a reconnect) are waited for.
 */
class RedisMembershipManualSchedulerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration NEVER = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler manual = new ManualScheduler(clock);
  private final String group = TestKeys.unique("manual");

  private RedisMembership.Builder<Node> builder(RedisClient client) {
    return RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC)
        .timeSource(TimeSource.CLIENT).clock(clock).scheduler(manual);
  }

  /** Waits for a network event, running the tasks it queued on the manual scheduler (time stands still). */
  private void awaitRunning(BooleanSupplier condition) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
      manual.runDue();
      return condition.getAsBoolean();
    });
  }

  @Test
  void renewalsRunWhenTimeMovesEachOneRoundTrip() {
    try (RedisServerProcess redis = RedisServers.startStandalone();
        RedisClient client = redis.newClient();
        Membership<Node> member = builder(client).self(Node.of("a")).lease(Duration.ofSeconds(3))
            .renewInterval(Duration.ofSeconds(1)).pollInterval(NEVER).build()) {
      // build() joined and read on this thread; the subscription, once live, asks for one more read
      awaitRunning(() -> member.stats().reads() == 2);
      assertThat(member.stats()).isEqualTo(new MembershipStats(1, 2, 1, 0));
      assertThat(manual.nextDue()).as("the first renewal").contains(Duration.ofSeconds(1));

      CommandStats before = redis.commandStats();
      manual.advance(Duration.ofSeconds(10));
      CommandStats spent = redis.commandStats().minus(before);
      assertThat(member.stats().heartbeats()).as("one renewal a second").isEqualTo(11);
      assertThat(spent.calls("evalsha")).as("one script call per renewal, no read: nothing changed").isEqualTo(10);

      // 10 s on a 3 s lease: the renewals kept it, by the group's (client) time too
      assertThat(member.holdsLease()).isTrue();
      try (RedisClient other = redis.newClient();
          Membership<Node> observer = builder(other).pollInterval(NEVER).build()) {
        assertThat(observer.view().contains("a")).isTrue();
        // the member stops renewing (its scheduler is shut): 3 s later the group drops it
        manual.close();
        clock.advance(Duration.ofSeconds(3));
        assertThat(member.holdsLease()).isFalse();
        assertThat(observer.refresh().contains("a")).isFalse();
      }
    }
  }

  @Test
  void afterAProxyCutTheSubscriptionComesBackOnTheManualSchedulerAndTheGroupIsReadAtOnce() {
    RedisServerProcess redis = RedisServers.standalone();
    try (FaultProxy proxy = FaultProxy.start(redis.hostAndPort());
        RedisClient viaProxy = RedisClient.builder().hostAndPort(proxy.hostAndPort()).build();
        RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(viaProxy))
            .scheduler(manual).clock(clock).reconnectBackoff(Backoff.fixed(Duration.ofSeconds(1))).build();
        RedisClient observerClient = redis.newClient();
        RedisClient memberClient = redis.newClient();
        // scripts go straight to Redis, pub/sub through the proxy: the cut hits only the subscription
        Membership<Node> observer = builder(observerClient).subscriptions(hub).pollInterval(NEVER).build();
        // the members only write: their background work runs on the shared scheduler, so the manual one holds
        // only the observer's and its hub's
        Membership<Node> a = builder(memberClient).scheduler(Scheduler.shared()).self(Node.of("a")).lease(NEVER)
            .renewInterval(NEVER.minusSeconds(1)).pollInterval(NEVER).build()) {
      awaitRunning(() -> observer.view().contains("a") && hub.stats().connections() == 1);
      long reads = observer.stats().reads();

      proxy.disconnectAll();
      await().atMost(WAIT).until(() -> hub.stats().reconnects() == 1);
      try (Membership<Node> b = builder(memberClient).scheduler(Scheduler.shared()).self(Node.of("b")).lease(NEVER)
          .renewInterval(NEVER.minusSeconds(1)).pollInterval(NEVER).build()) {
        manual.runDue();
        assertThat(observer.view().contains("b")).as("b's join was announced while nobody listened").isFalse();
        assertThat(manual.nextDue()).as("the reconnect waits for its backoff").contains(Duration.ofSeconds(1));

        manual.advance(Duration.ofSeconds(1));
        // live again: the membership re-reads at once, not at its next poll (an hour away)
        awaitRunning(() -> observer.view().contains("b"));
        assertThat(observer.stats().reads()).isEqualTo(reads + 1);
        assertThat(hub.stats().gaps()).isEqualTo(1);
        assertThat(observer.view().members()).extracting(Node::nodeId).containsExactly("a", "b");
      }
      assertThat(manual.failures()).isEmpty();
    }
  }
}
