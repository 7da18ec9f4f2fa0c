package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.distkit.core.redis.RedisSubscriptionsTest.POLL;
import static io.distkit.core.redis.RedisSubscriptionsTest.WAIT;
import static org.awaitility.Awaitility.await;

import io.distkit.core.Clock;
import io.distkit.core.redis.RedisSubscriptionsTest.Recorder;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscription;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link RedisSubscriptions#shared}: one hub, so one pub/sub connection, per client and scheduler, whatever backend
 * each user was built on; counted with {@code CLIENT LIST TYPE pubsub} on the client's own connection name.
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class SharedSubscriptionsTest {

  private final Scheduler scheduler = Scheduler.create("shared-pubsub-test");
  private final RedisKeys keys = RedisKeys.of("test");

  @AfterEach
  void stop() {
    scheduler.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private RedisSubscriptions.Share share(RedisBackend backend) {
    return RedisSubscriptions.shared(backend, scheduler, Clock.system());
  }

  @ContractTest
  void twoBackendsOfOneClientShareOnePubSubConnection(Deployment deployment) {
    String name = TestKeys.unique("shared");
    UnifiedJedis client = deployment.newNamedClient(name);
    // two primitives, each with a backend of its own on the same client (as two builders taking the jedis make)
    try (RedisSubscriptions.Share first = share(RedisBackend.create(client));
        RedisSubscriptions.Share second = share(RedisBackend.create(client))) {
      assertThat(first.hub()).isSameAs(second.hub());
      String tag = TestKeys.unique("tag"); // one hash tag: one slot, so one master even when sharded
      String one = keys.key(tag, "one");
      String two = keys.key(tag, "two");
      Recorder firstHeard = new Recorder();
      Recorder secondHeard = new Recorder();
      Subscription a = first.subscribe(one, firstHeard);
      Subscription b = second.subscribe(two, secondHeard);
      await().atMost(WAIT).pollInterval(POLL).until(() -> a.isLive() && b.isLive());
      assertThat(deployment.pubSubConnections(name)).isEqualTo(1);

      first.publish(two, bytes("to second"));
      second.publish(one, bytes("to first"));
      await().atMost(WAIT).pollInterval(POLL)
          .until(() -> firstHeard.messages().size() == 1 && secondHeard.messages().size() == 1);
      assertThat(firstHeard.messages()).containsExactly("message to first");
      assertThat(secondHeard.messages()).containsExactly("message to second");
      assertThat(deployment.pubSubConnections(name)).isEqualTo(1);
    }
    await().atMost(WAIT).pollInterval(POLL).until(() -> deployment.pubSubConnections(name) == 0);
  }

  @ContractTest
  void anotherClientOrSchedulerGetsAHubOfItsOwn(Deployment deployment) {
    UnifiedJedis client = deployment.newClient();
    try (Scheduler other = Scheduler.create("shared-pubsub-other");
        RedisSubscriptions.Share mine = share(RedisBackend.create(client));
        RedisSubscriptions.Share otherClient = share(RedisBackend.create(deployment.newClient()));
        RedisSubscriptions.Share otherScheduler = RedisSubscriptions.shared(RedisBackend.create(client), other,
            Clock.system())) {
      assertThat(otherClient.hub()).isNotSameAs(mine.hub());
      assertThat(otherScheduler.hub()).isNotSameAs(mine.hub());
      assertThat(SharedHubs.hubsOf(client)).isEqualTo(2);
    }
    assertThat(SharedHubs.hubsOf(client)).isZero();
  }

  @ContractTest
  void theLastShareToCloseClosesTheHubAndItsConnection(Deployment deployment) {
    String name = TestKeys.unique("last");
    UnifiedJedis client = deployment.newNamedClient(name);
    RedisBackend backend = RedisBackend.create(client);
    RedisSubscriptions.Share first = share(backend);
    RedisSubscriptions.Share second = share(backend);
    RedisSubscriptions hub = first.hub();
    String channel = keys.key(TestKeys.unique("last"), "events");
    Recorder firstHeard = new Recorder();
    Recorder secondHeard = new Recorder();
    Subscription a = first.subscribe(channel, firstHeard);
    Subscription b = second.subscribe(channel, secondHeard);
    await().atMost(WAIT).pollInterval(POLL).until(() -> a.isLive() && b.isLive());

    first.close(); // ends its own subscription, not the other's, and not the hub
    assertThat(a.isLive()).isFalse();
    assertThat(b.isLive()).isTrue();
    assertThat(hub.isClosed()).isFalse();
    second.publish(channel, bytes("after first closed"));
    await().atMost(WAIT).pollInterval(POLL).until(() -> secondHeard.messages().size() == 1);
    assertThat(firstHeard.messages()).isEmpty();
    assertThat(deployment.pubSubConnections(name)).isEqualTo(1);

    second.close();
    assertThat(hub.isClosed()).isTrue();
    assertThat(b.isLive()).isFalse();
    assertThat(SharedHubs.hubsOf(client)).isZero();
    await().atMost(WAIT).pollInterval(POLL).until(() -> deployment.pubSubConnections(name) == 0);

    // the client is still usable: the next share builds a new hub, which connects again
    try (RedisSubscriptions.Share again = share(backend)) {
      assertThat(again.hub()).isNotSameAs(hub);
      Subscription c = again.subscribe(channel, new Recorder());
      await().atMost(WAIT).pollInterval(POLL).until(c::isLive);
      assertThat(deployment.pubSubConnections(name)).isEqualTo(1);
    }
    await().atMost(WAIT).pollInterval(POLL).until(() -> deployment.pubSubConnections(name) == 0);
  }

  @ContractTest
  void aShareClosedTwiceReleasesItsShareOnce(Deployment deployment) {
    String name = TestKeys.unique("twice");
    UnifiedJedis client = deployment.newNamedClient(name);
    RedisSubscriptions.Share first = share(RedisBackend.create(client));
    try (RedisSubscriptions.Share second = share(RedisBackend.create(client))) {
      Subscription b = second.subscribe(keys.key(TestKeys.unique("twice"), "events"), new Recorder());
      await().atMost(WAIT).pollInterval(POLL).until(b::isLive);
      first.close();
      first.close(); // a second release would have closed the hub under the other share
      assertThat(second.hub().isClosed()).isFalse();
      assertThat(b.isLive()).isTrue();
      assertThatThrownBy(() -> first.subscribe("any", new Recorder()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      assertThat(deployment.pubSubConnections(name)).isEqualTo(1);
    }
    await().atMost(WAIT).pollInterval(POLL).until(() -> deployment.pubSubConnections(name) == 0);
  }

  @ContractTest
  void aShareOfACallersHubEndsItsSubscriptionsAndLeavesTheHubOpen(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(scheduler).build()) {
      String channel = keys.key(TestKeys.unique("given"), "events");
      RedisSubscriptions.Share share = hub.share();
      Subscription mine = share.subscribe(channel, new Recorder());
      Recorder callerHeard = new Recorder();
      Subscription callers = hub.subscribe(channel, callerHeard);
      await().atMost(WAIT).pollInterval(POLL).until(() -> mine.isLive() && callers.isLive());
      share.close();
      share.close();
      assertThat(mine.isLive()).isFalse();
      assertThat(hub.isClosed()).isFalse();
      assertThat(hub.stats().subscribers()).isEqualTo(1);
      hub.publish(channel, bytes("still here"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> callerHeard.messages().size() == 1);
    }
  }

  /**
   * Shares taken and released from several threads at once, so that hubs are retired and rebuilt under races:
   * an open share never holds a closed hub, shares held at the same time hold the same hub, and nothing stays
   * in the registry. No I/O: nothing subscribes.
   */
  @Test
  void sharesTakenAndReleasedConcurrentlyNeverHoldAClosingHub() throws Exception {
    UnifiedJedis client = RedisServers.standalone().newClient();
    try (client) {
      int threads = 3;
      int rounds = 20_000;
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        RedisBackend backend = RedisBackend.create(client); // a backend per thread: the client decides
        Thread worker = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < rounds; i++) {
              try (RedisSubscriptions.Share held = share(backend)) {
                if (held.hub().isClosed()) {
                  failures.add("round " + i + ": a closed hub");
                }
                if (i % 16 == 0) {
                  try (RedisSubscriptions.Share inner = share(backend)) {
                    if (inner.hub() != held.hub()) {
                      failures.add("round " + i + ": two hubs at once");
                    }
                  }
                }
                Thread.yield(); // let a release on another thread run while this share is held
                if (held.hub().isClosed()) {
                  failures.add("round " + i + ": the hub closed while held");
                }
              }
              Thread.yield(); // and let the count reach zero now and then, so hubs retire under races
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        worker.start();
        workers.add(worker);
      }
      start.countDown();
      for (Thread worker : workers) {
        worker.join(WAIT.toMillis());
        assertThat(worker.isAlive()).as("a worker still running").isFalse();
      }
      assertThat(failures).isEmpty();
      assertThat(SharedHubs.hubsOf(client)).isZero();
    }
  }

  /** A subscription made while another thread closes the share is closed too: nothing outlives the share. */
  @Test
  void subscriptionsRacingTheShareClosingDoNotOutliveIt() throws Exception {
    try (UnifiedJedis client = RedisServers.standalone().newClient();
        RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(client)).scheduler(scheduler).build()) {
      String channel = keys.key(TestKeys.unique("race"), "events");
      for (int round = 0; round < 200; round++) {
        RedisSubscriptions.Share share = hub.share();
        List<Subscription> made = new ArrayList<>();
        CountDownLatch subscribing = new CountDownLatch(1);
        Thread subscriber = new Thread(() -> {
          subscribing.countDown();
          try {
            while (true) {
              made.add(share.subscribe(channel, new Recorder()));
            }
          } catch (IllegalStateException closed) {
            // the share closed: stop
          }
        });
        subscriber.start();
        subscribing.await();
        share.close();
        subscriber.join(WAIT.toMillis());
        assertThat(subscriber.isAlive()).isFalse();
        assertThat(hub.stats().subscribers()).as("round %d, after %d subscriptions", round, made.size()).isZero();
      }
    }
  }

  @Test
  void theRegistryDoesNotHoldAClientWhoseSharesAreClosed() {
    WeakReference<UnifiedJedis> released = sharedThenReleased();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
      System.gc();
      return released.get() == null;
    });
  }

  private static WeakReference<UnifiedJedis> sharedThenReleased() {
    UnifiedJedis client = RedisServers.standalone().newClient();
    try (Scheduler own = Scheduler.create("shared-pubsub-gc");
        RedisSubscriptions.Share share = RedisSubscriptions.shared(RedisBackend.create(client), own,
            Clock.system())) {
      Subscription subscription = share.subscribe("gc-" + TestKeys.unique("channel"), new Recorder());
      await().atMost(WAIT).pollInterval(POLL).until(subscription::isLive);
    } finally {
      client.close();
    }
    return new WeakReference<>(client);
  }
}
