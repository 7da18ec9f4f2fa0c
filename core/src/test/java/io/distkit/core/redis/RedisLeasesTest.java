package io.distkit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.LeaseRequest;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.FaultProxy;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisClusterCRC16;

@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
class RedisLeasesTest {

  private static final Duration TTL = Duration.ofSeconds(3);
  private static final Duration CHECK = Duration.ofMillis(100);

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RedisKeys keys = RedisKeys.of("test");
  private final Map<String, Lease.LostReason> lost = new ConcurrentHashMap<>();
  private final Lease.LostListener onLost = (lease, reason) -> lost.put(lease.id(), reason);

  @AfterEach
  void noTaskFailed() {
    assertThat(scheduler.failures()).isEmpty();
    scheduler.close();
  }

  private RedisLeases leases(RedisBackend backend) {
    return RedisLeases.builder(backend).scheduler(scheduler).clock(clock).timeSource(TimeSource.CLIENT)
        .checkInterval(CHECK).build();
  }

  private String resource(String hint) {
    return keys.key(TestKeys.unique(hint), "leases");
  }

  @ContractTest
  void aResourceGrantsAtMostMaxHoldersAndAReleasedLeaseMakesRoom(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    String key = resource("sem");
    LeaseRequest request = LeaseRequest.of(key, "a", TTL).withMaxHolders(2);
    Lease a = leases.tryAcquire(request, onLost).orElseThrow();
    Lease b = leases.tryAcquire(new LeaseRequest(key, "b", TTL, 2, true, null), onLost).orElseThrow();
    assertThat(leases.tryAcquire(new LeaseRequest(key, "c", TTL, 2, true, null), onLost)).isEmpty();
    assertThat(a.isValid()).isTrue();
    assertThat(a.remainingNanos()).isBetween(TTL.toNanos() * 98 / 100, TTL.toNanos());
    assertThat(a.release()).isTrue();
    assertThat(a.release()).as("idempotent").isFalse();
    assertThat(a.state()).isEqualTo(Lease.State.RELEASED);
    assertThat(a.isValid()).isFalse();
    assertThat(leases.tryAcquire(new LeaseRequest(key, "c", TTL, 2, true, null), onLost)).isPresent();
    assertThat(b.isValid()).isTrue();
    assertThat(leases.stats().held()).isEqualTo(2);
  }

  @ContractTest
  void anExpiredLeaseOfAnotherHolderMakesRoomByTheScriptsClock(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    String key = resource("lock");
    Lease first = leases.tryAcquire(LeaseRequest.of(key, "first", TTL).fixed(), onLost).orElseThrow();
    assertThat(leases.tryAcquire(LeaseRequest.of(key, "second", TTL), onLost)).isEmpty();
    scheduler.advance(TTL);
    assertThat(first.isValid()).as("a fixed lease runs out").isFalse();
    assertThat(lost).containsEntry("first", Lease.LostReason.EXPIRED);
    assertThat(leases.tryAcquire(LeaseRequest.of(key, "second", TTL), onLost)).isPresent();
  }

  @ContractTest
  void anExtendedFixedLeaseEndsTtlAfterTheExtensionOnTheServerAndLocally(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    String key = resource("extended");
    Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder", TTL).fixed(), onLost).orElseThrow();
    scheduler.advance(Duration.ofSeconds(2));
    assertThat(leases.extend(lease, Duration.ofSeconds(5))).isTrue();
    assertThat(lease.remainingNanos()).isEqualTo(Lease.localDeadline(0, Duration.ofSeconds(5).toNanos()));
    scheduler.advance(Duration.ofSeconds(4));
    assertThat(lease.isValid()).as("6 s after the grant, 4 s after the extension").isTrue();
    assertThat(leases.tryAcquire(LeaseRequest.of(key, "other", TTL), onLost)).as("held on the server too").isEmpty();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(lease.isValid()).isFalse();
    assertThat(leases.extend(lease, Duration.ofSeconds(5))).as("lost").isFalse();
    assertThatThrownBy(() -> leases.extend(lease, Duration.ofNanos(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl");
  }

  @ContractTest
  void extendingALeaseTheServerNoLongerHoldsLosesIt(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    String key = resource("gone");
    Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder", TTL).fixed(), onLost).orElseThrow();
    deployment.backend().eval(RedisScript.of("drop", List.of(), "return redis.call('DEL', KEYS[1])"),
        List.of(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), List.of());
    assertThat(leases.extend(lease, Duration.ofSeconds(5))).isFalse();
    assertThat(lease.state()).isEqualTo(Lease.State.LOST);
    assertThat(lost).containsEntry("holder", Lease.LostReason.GONE);
  }

  @ContractTest
  void aForgottenLeaseIsNoLongerRenewedNorReportedAndCostsNoCall(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    RedisLeases other = leases(deployment.backend());
    String key = resource("forgotten");
    Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder", TTL), onLost).orElseThrow();
    assertThatThrownBy(() -> other.forget(lease)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not granted by this RedisLeases");
    long renewals = leases.stats().renewals();
    assertThat(leases.forget(lease)).isTrue();
    assertThat(leases.forget(lease)).as("once").isFalse();
    assertThat(lease.state()).isEqualTo(Lease.State.RELEASED);
    scheduler.advance(Duration.ofSeconds(10));
    assertThat(leases.stats().renewals()).as("no renewal after forget").isEqualTo(renewals);
    assertThat(lost).as("and no loss reported when the server's lease runs out").isEmpty();
    assertThat(leases.stats().held()).isZero();
  }

  @ContractTest
  void renewalsKeepALeaseAliveOnTheServerLongPastItsTtl(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    RedisLeases leases = leases(backend);
    String key = resource("renewed");
    Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder", TTL), onLost).orElseThrow();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(lease.isValid()).isTrue();
    assertThat(lost).isEmpty();
    // the server's expiry was pushed forward: another holder is still refused
    assertThat(leases.tryAcquire(LeaseRequest.of(key, "other", TTL), onLost)).isEmpty();
    // a renewal every TTL/3 (+ up to one check): about 30 s / 1.1 s
    assertThat(leases.stats().renewals()).isBetween(25L, 31L);
  }

  @ContractTest
  void aLeaseTakenAwayOnTheServerIsReportedGoneWithinOneRenewal(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    RedisLeases leases = leases(backend);
    String key = resource("gone");
    Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder", TTL), onLost).orElseThrow();
    scheduler.advance(Duration.ofSeconds(2));
    backend.execute(j -> j.zrem(key, "holder"));
    assertThat(lease.isValid()).as("nobody told us yet").isTrue();
    scheduler.advance(TTL.dividedBy(3).plus(CHECK));
    assertThat(lost).containsEntry("holder", Lease.LostReason.GONE);
    assertThat(lease.state()).isEqualTo(Lease.State.LOST);
    assertThat(lease.isValid()).isFalse();
    assertThat(lease.release()).isFalse();
  }

  @ContractTest
  void tokensGrantedWithLeasesGrowAcrossHolders(Deployment deployment) {
    RedisLeases leases = leases(deployment.backend());
    String name = TestKeys.unique("fenced");
    String key = keys.key(name, "leases");
    String tokenKey = keys.key(name, "token");
    List<FencingToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Lease lease = leases.tryAcquire(LeaseRequest.of(key, "holder-" + i, TTL).withFencing(tokenKey), onLost)
          .orElseThrow();
      tokens.add(lease.token().orElseThrow());
      lease.release();
    }
    assertThat(tokens).isSorted().doesNotHaveDuplicates();
    assertThatThrownBy(() -> leases.tryAcquire(LeaseRequest.of(key, "x", TTL)
        .withFencing(keys.key(TestKeys.unique("elsewhere"), "token")), onLost))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("give them one hash tag");
  }

  @ContractTest
  void tenThousandLeasesCostAFewCommandsPerRenewal(Deployment deployment) {
    RedisBackend backend = deployment.backend();
    RedisLeases leases = leases(backend);
    // 20 resources (semaphores, say) of 500 holders each
    List<LeaseRequest> requests = new ArrayList<>();
    Set<Integer> slots = new HashSet<>();
    for (int r = 0; r < 20; r++) {
      String key = resource("many");
      slots.add(JedisClusterCRC16.getSlot(key));
      for (int h = 0; h < 500; h++) {
        requests.add(LeaseRequest.of(key, leases.newId(), TTL).withMaxHolders(500));
      }
    }
    List<Optional<Lease>> held = leases.tryAcquireAll(requests, onLost);
    assertThat(held).allMatch(Optional::isPresent).hasSize(10_000);

    CommandStats before = deployment.commandStats();
    scheduler.advance(TTL.dividedBy(3).plus(CHECK)); // one renewal of everything
    CommandStats sent = deployment.commandStats().minus(before);
    assertThat(leases.stats().renewals()).isEqualTo(10_000);
    long expected = deployment.isCluster() ? slots.size() : 10; // one call per slot / per 1,000 leases
    assertThat(sent.calls("evalsha")).as(sent.toString()).isEqualTo(expected);
    assertThat(sent.total() - sent.calls("evalsha")).as("inside the scripts only: " + sent)
        .isEqualTo(sent.calls("zscore") + sent.calls("zadd") + sent.calls("pttl") + sent.calls("pexpire")
            + sent.calls("time"));
    assertThat(lost).isEmpty();
  }

  @Test
  void renewalsThatCannotReachRedisEndInExpiredWithinOneCheckOfTheDeadline() {
    try (RedisServerProcess server = RedisServers.startStandalone();
        FaultProxy proxy = FaultProxy.start(server.hostAndPort());
        RedisClient client = RedisClient.builder().hostAndPort(proxy.hostAndPort()).build()) {
      RedisLeases leases = leases(RedisBackend.create(client));
      Lease lease = leases.tryAcquire(LeaseRequest.of(resource("cut"), "holder", TTL), onLost).orElseThrow();
      scheduler.advance(Duration.ofSeconds(5)); // renewed several times
      long renewed = leases.stats().renewals();
      assertThat(renewed).isPositive();
      proxy.cut();
      long deadline = lease.remainingNanos();
      scheduler.advance(Duration.ofNanos(deadline).minus(CHECK));
      assertThat(lease.isValid()).as("still within the deadline").isTrue();
      assertThat(lost).isEmpty();
      assertThat(leases.stats().renewalFailures()).isPositive();
      scheduler.advance(CHECK.multipliedBy(2));
      assertThat(lost).containsEntry("holder", Lease.LostReason.EXPIRED);
      assertThat(leases.stats().renewals()).isEqualTo(renewed);
      assertThat(lease.release()).as("a lost lease stays lost, without asking Redis").isFalse();
      assertThat(lease.state()).isEqualTo(Lease.State.LOST);
    }
  }

  @Test
  void withTheDefaultSchedulerAndServerTimeLeasesRenewOnTheirOwn() {
    try (RedisClient client = RedisServers.standalone().newClient();
        RedisLeases leases = RedisLeases.builder(RedisBackend.create(client)).checkInterval(Duration.ofMillis(50))
            .build()) {
      // a 1.5 s lease renews every 500 ms: a renewal may run a second late on a loaded machine and still hold
      Lease lease = leases.tryAcquire(LeaseRequest.of(resource("real"), "holder", Duration.ofMillis(1_500)), onLost)
          .orElseThrow();
      await().atMost(Duration.ofSeconds(20)).until(() -> leases.stats().renewals() >= 5);
      assertThat(lease.isValid()).isTrue();
      assertThat(lost).isEmpty();
    }
  }

  @Test
  void badRequestsAreRefusedNamingTheValue() {
    try (RedisClient client = RedisServers.standalone().newClient();
        RedisLeases leases = leases(RedisBackend.create(client))) {
      assertThatThrownBy(() -> leases.tryAcquire(LeaseRequest.of("k", "id", Duration.ofMillis(200)), onLost))
          .hasMessage("ttl (PT0.2S) of a renewed lease must be at least three check intervals (PT0.3S)");
      assertThatThrownBy(() -> LeaseRequest.of("k", "id", Duration.ZERO)).hasMessage("ttl (PT0S) must be at least 1 ms");
      assertThatThrownBy(() -> LeaseRequest.of("k", " ", TTL)).hasMessage("id (' ') must not be blank");
      assertThatThrownBy(() -> LeaseRequest.of("k", "id", TTL).withMaxHolders(0))
          .hasMessage("maxHolders (0) must be positive");
      assertThat(IntStream.range(0, 100).mapToObj(i -> leases.newId()).distinct().count()).isEqualTo(100);
    }
  }
}
