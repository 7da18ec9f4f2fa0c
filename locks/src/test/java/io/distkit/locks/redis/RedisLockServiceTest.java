package io.distkit.locks.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.redis.RedisTime;
import io.distkit.core.redis.TimeSource;
import io.distkit.core.testing.CommandStats;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.Leader;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What the Redis lock service adds to the contract: its round trips, and hand-offs that survive a lost
 * notification or a waiter that went away. Manual time (client time in Redis), one client per service.
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisLockServiceTest {

  private static final LockLease LEASE = LockLease.fixed(Duration.ofSeconds(30));
  private static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Duration CLAIM = Duration.ofSeconds(2);

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RedisTime time = RedisTime.of(TimeSource.CLIENT, clock);
  private final String name = TestKeys.unique("lock");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() throws Exception {
    callers.shutdownNow();
    for (AutoCloseable c : opened) {
      c.close();
    }
    scheduler.close();
  }

  private LockService service(Deployment deployment) {
    return service(deployment.newClient());
  }

  private LockService service(UnifiedJedis client) {
    LockService service = RedisLockService.builder(RedisBackend.create(client)).timeSource(TimeSource.CLIENT)
        .clock(clock).scheduler(scheduler).recheckInterval(RECHECK).claimTimeout(CLAIM).build();
    opened.add(service);
    opened.add(client);
    await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) service)::listening);
    return service;
  }

  private Future<Optional<LockHandle>> waitInLine(LockService locks, LockService observer, int ahead) {
    Future<Optional<LockHandle>> caller = callers.submit(() -> locks.tryAcquire(name, Duration.ofMinutes(1), LEASE));
    await().atMost(Duration.ofSeconds(10)).until(() -> observer.inspect(name).waiters() == ahead + 1);
    return caller;
  }

  @ContractTest
  void anUncontendedCycleIsOneCommandToAcquireAndOneToRelease(Deployment deployment) {
    LockService locks = service(deployment);
    locks.tryAcquire(name).orElseThrow().release(); // loads the scripts
    CommandStats before = deployment.commandStats();
    for (int i = 0; i < 100; i++) {
      LockHandle lock = locks.tryAcquire(name).orElseThrow();
      assertThat(lock.release()).isTrue();
    }
    CommandStats spent = deployment.commandStats().minus(before);
    assertThat(spent.calls("evalsha")).as("commands sent: " + spent).isEqualTo(200);
    assertThat(spent.calls("publish") + spent.calls("spublish")).as("nobody waits: nobody is told").isZero();
  }

  @ContractTest
  void anotherServiceSeesTheHoldersLeaseKindAndAnElectionsCandidate(Deployment deployment) throws Exception {
    LockService holder = service(deployment);
    LockService other = service(deployment);
    LockHandle renewed = holder.tryAcquire(name, Duration.ZERO, LockLease.renewed(Duration.ofSeconds(10)))
        .orElseThrow();
    assertThat(other.inspect(name).renewed()).isTrue();
    renewed.release();
    holder.tryAcquire(name, Duration.ZERO, LockLease.fixed(Duration.ofSeconds(10))).orElseThrow();
    assertThat(other.inspect(name).renewed()).isFalse();
    holder.election(name).campaign("node 1", Duration.ZERO, LockLease.fixed(Duration.ofSeconds(10))).orElseThrow();
    assertThat(other.election(name).leader()).map(Leader::candidate).contains("node 1");
  }

  @ContractTest
  void tenThousandHeldLocksAreRenewedInBatchesNotOneCallEach(Deployment deployment) throws Exception {
    // pipelines of thousands of renewals: a client timeout of 1 s can run out on a loaded 2-CPU machine, and a
    // failed round re-times the leases it failed into a round of their own (more calls than one round)
    UnifiedJedis client = deployment.isCluster() ? RedisServers.cluster().newClient(Duration.ofSeconds(30))
        : RedisServers.standalone().newClient(Duration.ofSeconds(30));
    LockService locks = service(client);
    Set<Integer> slots = new HashSet<>();
    List<LockHandle> held = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String lock = name + "-" + i;
      slots.add(JedisClusterCRC16.getSlot(RedisKeys.of("locks").key(lock, "lease")));
      held.add(locks.tryAcquire(lock, Duration.ZERO, LockLease.renewed(Duration.ofSeconds(3))).orElseThrow());
    }
    scheduler.advance(Duration.ofSeconds(1)); // the first renewal also loads core's renewal script (NOSCRIPT)
    CommandStats before = deployment.commandStats();
    scheduler.advance(Duration.ofSeconds(1)); // one renewal of everything (every 1 s, checked every 500 ms)
    CommandStats spent = deployment.commandStats().minus(before);
    assertThat(locks.stats().renewalFailures()).as("no renewal round failed").isZero();
    // one script call per 1,000 locks on one server; on a Cluster a call cannot span slots: one per slot,
    // pipelined in one round trip per master
    long expected = deployment.isCluster() ? slots.size() : 10;
    assertThat(spent.calls("evalsha")).as(spent.toString()).isEqualTo(expected);
    assertThat(held).allMatch(LockHandle::isValid);
    assertThat(locks.stats().lost()).isZero();
  }

  @ContractTest
  void aRenewedLeaseTooShortToRenewIsRefusedBeforeAnythingIsSent(Deployment deployment) throws Exception {
    LockService locks = service(deployment);
    CommandStats before = deployment.commandStats();
    assertThatThrownBy(() -> locks.tryAcquire(name, Duration.ZERO, LockLease.renewed(Duration.ofMillis(1_499))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl (PT1.499S)")
        .hasMessageContaining("three lease check intervals (PT1.5S)");
    assertThat(deployment.commandStats().minus(before).calls("evalsha")).isZero();
    assertThat(locks.tryAcquire(name, Duration.ZERO, LockLease.renewed(Duration.ofMillis(1_500)))).isPresent();
    assertThatThrownBy(() -> RedisLockService.builder(deployment.backend())
        .defaultLease(LockLease.renewed(Duration.ofSeconds(1))).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultLease");
  }

  @ContractTest
  void aWaiterWhoseNotificationIsLostGetsTheLockAtItsNextRecheck(Deployment deployment) throws Exception {
    LockService holder = service(deployment);
    LockService other = service(deployment);
    LockHandle lock = holder.tryAcquire(name).orElseThrow();
    Future<Optional<LockHandle>> waiter = waitInLine(other, holder, 0);
    // release as the holder's script does, but without the notification that follows it
    CommandStats before = deployment.commandStats();
    releaseWithoutNotifying(deployment, lock);
    CommandStats spent = deployment.commandStats().minus(before);
    assertThat(spent.calls("publish") + spent.calls("spublish")).as("nobody told the waiter").isZero();
    assertThat(waiter).isNotDone();
    scheduler.advance(RECHECK);
    LockHandle handed = waiter.get(10, TimeUnit.SECONDS).orElseThrow();
    assertThat(handed.fencingToken().isNewerThan(lock.fencingToken())).isTrue();
    assertThat(handed.isValid()).isTrue();
  }

  @ContractTest
  void aLockHandedToAWaiterThatWentAwayGoesToTheNextAfterTheClaimTimeout(Deployment deployment) throws Exception {
    LockService holder = service(deployment);
    LockService live = service(deployment);
    LockHandle lock = holder.tryAcquire(name).orElseThrow();
    // a waiter whose process died: in line (for a minute), but nobody will claim what it is handed
    standInLineAndDie(deployment, "x-dead-waiter");
    Future<Optional<LockHandle>> waiter = waitInLine(live, holder, 1);
    assertThat(lock.release()).isTrue(); // hands the lock to the dead waiter
    scheduler.advance(RECHECK);
    assertThat(waiter).as("the lock is reserved for the dead waiter for the claim timeout").isNotDone();
    scheduler.advance(CLAIM);
    assertThat(waiter.get(10, TimeUnit.SECONDS)).isPresent();
  }

  private void releaseWithoutNotifying(Deployment deployment, LockHandle lock) {
    RedisKeys keys = RedisKeys.of("locks");
    List<byte[]> lockKeys = List.of(keys.keyBytes(name, "lease"), keys.keyBytes(name, "token"),
        keys.keyBytes(name, "line"), keys.keyBytes(name, "waiters"));
    Object reply = deployment.backend().eval(LockScripts.RELEASE, lockKeys, List.of(micros(),
        bytes(lock.id()), bytes("86400000"), bytes("2000000")));
    assertThat(reply).asList().as("released, and handed to the waiter").hasSize(5).first().isEqualTo(1L);
  }

  private void standInLineAndDie(Deployment deployment, String id) {
    RedisKeys keys = RedisKeys.of("locks");
    List<byte[]> lockKeys = List.of(keys.keyBytes(name, "lease"), keys.keyBytes(name, "token"),
        keys.keyBytes(name, "line"), keys.keyBytes(name, "waiters"));
    deployment.backend().eval(LockScripts.ACQUIRE, lockKeys, List.of(micros(), bytes(id), bytes("30000000"),
        bytes("86400000"), bytes("60000000"), bytes("nobody-listens"), bytes("2000000"), bytes("0"), bytes("1")));
  }

  /** The client time the services send: they were built before the clock moved, as this was. */
  private byte[] micros() {
    return time.argument();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
