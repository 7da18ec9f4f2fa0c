package io.distkit.hashing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.TestKeys;
import io.distkit.hashing.Membership;
import io.distkit.hashing.Node;
import io.distkit.hashing.TestNodes;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * Memberships hear changes through core's hub of their client: one pub/sub connection per client, whatever
 * {@link RedisBackend} each membership was built on, counted with {@code CLIENT LIST TYPE pubsub} on the client's
 * own connection name. Polls are an hour apart, so every change seen here came by pub/sub (or the re-read when a
 * subscription becomes live).
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class RedisMembershipSharedHubTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration NEVER = Duration.ofHours(1);

  private static RedisMembership.Builder<Node> builder(UnifiedJedis client, String group) {
    // a backend of its own per membership, as two independently written components would make
    return RedisMembership.builder(RedisBackend.create(client), group, TestNodes.CODEC).pollInterval(NEVER);
  }

  @ContractTest
  void twoMembershipsOnTwoBackendsOfOneClientUseOnePubSubConnection(Deployment deployment) {
    String name = TestKeys.unique("membership-hub");
    UnifiedJedis client = deployment.newNamedClient(name);
    String group = TestKeys.unique("hub");
    try (Membership<Node> b = builder(client, group).self(Node.of("b")).build()) {
      try (Membership<Node> a = builder(client, group).self(Node.of("a")).build()) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> a.view().contains("b") && b.view().contains("a"));
        assertThat(deployment.pubSubConnections(name)).isEqualTo(1);
      }
      // a left, and its share with it: b still hears the group on the same connection
      await().atMost(WAIT).pollInterval(POLL).until(() -> !b.view().contains("a"));
      try (Membership<Node> c = builder(deployment.newClient(), group).self(Node.of("c")).build()) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> b.view().contains("c") && c.view().contains("b"));
      }
      assertThat(deployment.pubSubConnections(name)).isEqualTo(1);
    }
    await().atMost(WAIT).pollInterval(POLL).until(() -> deployment.pubSubConnections(name) == 0);
  }

  @ContractTest
  void aMembershipOnTheCallersHubEndsItsSubscriptionAndLeavesTheHubOpen(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).build()) {
      String group = TestKeys.unique("given");
      try (Membership<Node> member = builder(deployment.newClient(), group).subscriptions(hub).self(Node.of("a"))
          .build()) {
        await().atMost(WAIT).pollInterval(POLL).until(() -> hub.stats().connections() >= 1);
        assertThat(hub.stats().subscribers()).isEqualTo(1);
        assertThat(member.view().contains("a")).isTrue();
      }
      assertThat(hub.stats().subscribers()).isZero();
      // still the caller's to use
      try (Membership<Node> observer = builder(deployment.newClient(), group).subscriptions(hub).build()) {
        assertThat(hub.stats().subscribers()).isEqualTo(1);
        assertThat(observer.view().members()).isEmpty();
      }
    }
  }
}
