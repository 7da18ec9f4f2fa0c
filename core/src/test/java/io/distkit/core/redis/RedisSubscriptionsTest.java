package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendListener;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.Subscriber;
import io.distkit.core.session.Subscription;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisBinary;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class RedisSubscriptionsTest {

  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration POLL = Duration.ofMillis(5);
  private final Scheduler scheduler = Scheduler.create("pubsub-test");
  private final RedisKeys keys = RedisKeys.of("test");

  @AfterEach
  void stop() {
    scheduler.close();
  }

  /** Records what a subscriber heard, in order. */
  static final class Recorder implements Subscriber {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(String channel, byte[] message) {
      events.add("message " + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void onMissedMessages(String channel) {
      events.add("missed");
    }

    @Override
    public void onInterrupted(String channel) {
      events.add("interrupted");
    }

    List<String> messages() {
      return events.stream().filter(e -> e.startsWith("message ")).toList();
    }

    long count(String event) {
      return events.stream().filter(event::equals).count();
    }
  }

  private String channel(String hint) {
    return keys.key(TestKeys.unique(hint), "events");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ContractTest
  void aSubscriberHearsItIsLiveThenEveryMessagePublished(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(scheduler).build()) {
      String channel = channel("live");
      Recorder first = new Recorder();
      Subscription sub = hub.subscribe(channel, first);
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      assertThat(first.events).containsExactly("missed");
      for (int i = 0; i < 5; i++) {
        hub.publish(channel, bytes("m" + i));
      }
      await().atMost(WAIT).pollInterval(POLL).until(() -> first.messages().size() == 5);
      assertThat(first.messages()).containsExactly("message m0", "message m1", "message m2", "message m3",
          "message m4");

      Recorder second = new Recorder();
      hub.subscribe(channel, second);
      await().atMost(WAIT).pollInterval(POLL).until(() -> second.count("missed") == 1); // live already: told at once
      hub.publish(channel, bytes("both"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> second.messages().size() == 1 && first.messages().size() == 6);
      assertThat(hub.stats().subscribers()).isEqualTo(2);
      assertThat(hub.stats().messages()).isEqualTo(6);

      sub.close();
      hub.publish(channel, bytes("after"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> second.messages().size() == 2);
      assertThat(first.messages()).hasSize(6);
    }
  }

  @ContractTest
  void closingAfterItsClientWasClosedThrowsNothing(Deployment deployment) {
    UnifiedJedis client = deployment.newClient();
    RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(client)).scheduler(scheduler).build();
    Subscription sub = hub.subscribe(channel("closed-client"), new Recorder());
    await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
    client.close(); // an application closing its client before the primitives built on it
    hub.close();
    assertThat(sub.isLive()).isFalse();
  }

  @ContractTest
  void manyChannelsShareOneConnectionPerMaster(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(scheduler).build()) {
      List<Subscription> subs = new ArrayList<>();
      List<Recorder> recorders = new ArrayList<>();
      List<String> channels = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Recorder recorder = new Recorder();
        String channel = channel("many");
        channels.add(channel);
        recorders.add(recorder);
        subs.add(hub.subscribe(channel, recorder));
      }
      await().atMost(WAIT).pollInterval(POLL).until(() -> subs.stream().allMatch(Subscription::isLive));
      int connections = hub.stats().connections();
      if (deployment.isCluster() && hub.isSharded()) {
        assertThat(connections).as("one per master").isBetween(1, 3);
      } else {
        assertThat(connections).isEqualTo(1);
      }
      for (int i = 0; i < channels.size(); i++) {
        hub.publish(channels.get(i), bytes("to " + i));
      }
      for (int i = 0; i < channels.size(); i++) {
        int n = i;
        await().atMost(WAIT).pollInterval(POLL).until(() -> recorders.get(n).messages().equals(List.of("message to " + n)));
      }
      subs.forEach(Subscription::close);
      await().atMost(WAIT).pollInterval(POLL).until(() -> hub.stats().connections() == 0);
      assertThat(hub.stats().channels()).isZero();
    }
  }

  /** Holds blocking tasks (readers) back until opened, so subscriptions pile up before any connection is live. */
  static final class GatedScheduler implements Scheduler {
    private final Scheduler delegate;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private volatile boolean open;

    GatedScheduler(Scheduler delegate) {
      this.delegate = delegate;
    }

    @Override
    public Task schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
      return delegate.schedule(task, delay, unit);
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(task);
    }

    @Override
    public void executeBlocking(String name, Runnable task) {
      if (open) {
        delegate.executeBlocking(name, task);
      } else {
        held.add(() -> delegate.executeBlocking(name, task));
      }
    }

    void open() {
      open = true;
      held.forEach(Runnable::run);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @ContractTest
  void channelsSubscribedBeforeTheConnectionIsLiveAllBecomeLive(Deployment deployment) {
    GatedScheduler gated = new GatedScheduler(scheduler);
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(gated).build()) {
      List<Subscription> subs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        subs.add(hub.subscribe(channel("early"), new Recorder())); // many slots, on Cluster
      }
      assertThat(subs).noneMatch(Subscription::isLive);
      gated.open();
      await().atMost(WAIT).pollInterval(POLL).until(() -> subs.stream().allMatch(Subscription::isLive));
      assertThat(hub.stats().reconnects()).isZero();
    }
  }

  @ContractTest
  void afterTheServerDropsThePubSubConnectionsEveryChannelComesBackAndReportsItsGap(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(scheduler).build()) {
      List<Subscription> subs = new ArrayList<>();
      List<Recorder> recorders = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Recorder recorder = new Recorder();
        recorders.add(recorder);
        subs.add(hub.subscribe(channel("dropped"), recorder));
      }
      await().atMost(WAIT).pollInterval(POLL).until(() -> subs.stream().allMatch(Subscription::isLive));
      List<RedisServerProcess> nodes = deployment.isCluster() ? RedisServers.cluster().nodes()
          : List.of(RedisServers.standalone());
      for (RedisServerProcess node : nodes) {
        try (Jedis admin = node.connect()) {
          admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
        }
      }
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorders.stream().allMatch(r -> r.count("missed") == 2));
      assertThat(subs).allMatch(Subscription::isLive);
      assertThat(recorders).allMatch(r -> r.count("interrupted") == 1);
      assertThat(hub.stats().gaps()).isEqualTo(30);
    }
  }

  @ContractTest
  void shardedOnClusterSevenAndPlainElsewhereAndScriptsPublishAlike(Deployment deployment) {
    try (RedisSubscriptions hub = RedisSubscriptions.builder(deployment.backend()).scheduler(scheduler).build()) {
      int major = Integer.parseInt(RedisBinary.locate().version().split("\\.")[0]);
      assertThat(hub.isSharded()).isEqualTo(deployment.isCluster() && major >= 7);
      assertThat(hub.publishCommand()).isEqualTo(hub.isSharded() ? "SPUBLISH" : "PUBLISH");
      // a script that changes state and announces it, with the channel under the state's hash tag
      String name = TestKeys.unique("scripted");
      String key = keys.key(name, "state");
      String channel = keys.key(name, "events");
      Recorder recorder = new Recorder();
      Subscription sub = hub.subscribe(channel, recorder);
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      RedisScript announce = RedisScript.of("announce", "local v = redis.call('INCR', KEYS[1]) "
          + "redis.call('PEXPIRE', KEYS[1], 60000) redis.call(ARGV[1], ARGV[2], v) return v");
      deployment.backend().eval(announce, List.of(bytes(key)), List.of(bytes(hub.publishCommand()), bytes(channel)));
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.messages().equals(List.of("message 1")));
    }
  }

  @Test
  void afterAProxyCutTheManualSchedulerDrivesTheResubscriptionAndTheGapIsReported() {
    ManualClock clock = new ManualClock();
    ManualScheduler manual = new ManualScheduler(clock);
    List<String> events = new CopyOnWriteArrayList<>();
    RedisServerProcess server = RedisServers.standalone();
    try (FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient viaProxy = RedisClient.builder().hostAndPort(proxy.hostAndPort()).build();
        Jedis direct = server.connect();
        RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(viaProxy))
            .scheduler(manual).clock(clock)
            .reconnectBackoff(Backoff.fixed(Duration.ofSeconds(1)))
            .listener(new BackendListener() {
              @Override
              public void onMissedMessages(String source, String channel) {
                events.add("listener missed " + source);
              }
            })
            .build()) {
      String channel = channel("cut");
      Recorder recorder = new Recorder();
      Subscription sub = hub.subscribe(channel, recorder);
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      direct.publish(bytes(channel), bytes("before"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.messages().size() == 1);

      proxy.disconnectAll();
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.count("interrupted") == 1);
      assertThat(sub.isLive()).isFalse();
      direct.publish(bytes(channel), bytes("lost")); // nobody is subscribed: this one is missed
      assertThat(manual.nextDue()).as("a reconnect waits for its backoff").contains(Duration.ofSeconds(1));
      manual.advance(Duration.ofMillis(999));
      assertThat(sub.isLive()).isFalse();
      manual.advance(Duration.ofMillis(1));
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      assertThat(recorder.events).containsExactly("missed", "message before", "interrupted", "missed");
      direct.publish(bytes(channel), bytes("after"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.messages().size() == 2);
      assertThat(recorder.messages()).containsExactly("message before", "message after");
      assertThat(events).containsExactly("listener missed redis");
      assertThat(hub.stats().reconnects()).isEqualTo(1);
      assertThat(hub.stats().gaps()).isEqualTo(1);
      assertThat(manual.failures()).isEmpty();
    }
  }

  @Test
  void aBlackHoledConnectionIsDroppedByTheKeepAliveAndReplacedOnceHealed() {
    ManualClock clock = new ManualClock();
    ManualScheduler manual = new ManualScheduler(clock);
    RedisServerProcess server = RedisServers.standalone();
    Duration keepAlive = Duration.ofSeconds(5);
    try (FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient viaProxy = RedisClient.builder().hostAndPort(proxy.hostAndPort())
            .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().timeoutMillis(300).build()).build();
        Jedis direct = server.connect();
        RedisSubscriptions hub = RedisSubscriptions.builder(RedisBackend.create(viaProxy))
            .scheduler(manual).clock(clock).keepAlive(keepAlive)
            .reconnectBackoff(Backoff.fixed(Duration.ofSeconds(1)))
            .build()) {
      String channel = channel("blackhole");
      Recorder recorder = new Recorder();
      Subscription sub = hub.subscribe(channel, recorder);
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      manual.advance(keepAlive); // a keep-alive on a healthy connection
      direct.publish(bytes(channel), bytes("ping"));
      // delivered after the keep-alive's answer on the same connection: the answer is in
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.messages().size() == 1);
      manual.advance(keepAlive);
      assertThat(recorder.count("interrupted")).as("answered in time").isZero();

      proxy.blackhole();
      manual.advance(keepAlive); // sends a keep-alive that vanishes
      assertThat(recorder.count("interrupted")).isZero();
      manual.advance(keepAlive); // unanswered for a whole interval: dropped
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.count("interrupted") == 1);
      proxy.heal();
      manual.advance(Duration.ofSeconds(1));
      await().atMost(WAIT).pollInterval(POLL).until(sub::isLive);
      direct.publish(bytes(channel), bytes("back"));
      await().atMost(WAIT).pollInterval(POLL).until(() -> recorder.messages().size() == 2);
      assertThat(recorder.messages()).containsExactly("message ping", "message back");
      assertThat(recorder.count("missed")).isEqualTo(2);
    }
  }
}
