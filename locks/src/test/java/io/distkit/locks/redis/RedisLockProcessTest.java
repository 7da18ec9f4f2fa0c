package io.distkit.locks.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.FencingToken;
import io.distkit.core.testing.ChildJvm;
import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.HoldHistory;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LockCycles;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/**
 * Locks across JVM processes on one Redis: a holder frozen (SIGSTOP) past its lease is fenced off and told it lost
 * the lock once it runs again; and holds of threads in two processes, recorded and checked together.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisLockProcessTest {

  private final RedisServerProcess redis = RedisServers.standalone();
  private final String name = TestKeys.unique("lock");

  private ChildJvm child(String... args) {
    List<String> all = new ArrayList<>(List.of(RedisServerProcess.HOST, Integer.toString(redis.port()), name));
    all.addAll(Arrays.asList(args));
    return ChildJvm.start(LockHolderProcess.class, all.toArray(String[]::new));
  }

  private static LockService service(RedisClient client) {
    LockService locks = RedisLockService.builder(RedisBackend.create(client))
        .leaseCheckInterval(Duration.ofMillis(100)).recheckInterval(Duration.ofMillis(100)).build();
    await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) locks)::listening);
    return locks;
  }

  @Test
  void aHolderFrozenPastItsLeaseIsFencedOffAndToldItLostTheLock() throws Exception {
    FencedRegister<String> register = new FencedRegister<>();
    try (ChildJvm child = child("hold");
        RedisClient client = redis.newClient();
        LockService locks = service(client)) {
      long childToken = Long.parseLong(child.awaitLine(l -> l.startsWith("holding "), Duration.ofSeconds(60))
          .substring("holding ".length()));
      assertThat(register.write(new FencingToken(childToken), "child")).isTrue();
      assertThat(locks.tryAcquire(name)).as("the child holds it").isEmpty();

      child.pause();
      long pausedAt = System.nanoTime();
      LockHandle lock = locks.tryAcquire(name, Duration.ofSeconds(20), LockLease.fixed(Duration.ofSeconds(30)))
          .orElseThrow();
      Duration takeover = Duration.ofNanos(System.nanoTime() - pausedAt);
      // the child renews its 1 s lease every ~333 ms: its lease had most of a second to run at the pause (200 ms
      // leaves room for a late renewal on a loaded machine)
      assertThat(takeover).as("not while the child's lease ran on the server")
          .isGreaterThan(Duration.ofMillis(200));
      assertThat(lock.fencingToken().value()).isGreaterThan(childToken);
      assertThat(register.write(lock.fencingToken(), "parent")).isTrue();

      int linesBefore = child.output().size();
      child.resume();
      child.awaitLine(l -> l.startsWith("lost "), Duration.ofSeconds(10));
      assertThat(child.output()).contains("lost EXPIRED");
      // the child's writes after it resumed carry its old token: every one is rejected
      List<String> late = await().atMost(Duration.ofSeconds(10)).until(
          () -> child.output().subList(linesBefore, child.output().size()).stream()
              .filter(l -> l.startsWith("write ")).toList(), writes -> writes.size() >= 3);
      for (String write : late) {
        assertThat(register.write(new FencingToken(Long.parseLong(write.substring("write ".length()))), "child"))
            .isFalse();
      }
      assertThat(register.staleWrites()).isEqualTo(late.size());
      assertThat(register.value()).isEqualTo("parent");
      assertThat(lock.isValid()).isTrue();
    }
  }

  @Test
  void aPermitOfAHolderKilledWithSigkillComesBackWithinItsLeaseAndOneRecheck() throws Exception {
    Duration lease = Duration.ofSeconds(2);
    try (ChildJvm child = child("permit", "1", Long.toString(lease.toMillis()));
        RedisClient client = redis.newClient();
        // the default re-check interval (1 s): the bound the README states is the lease and one re-check
        LockService locks = RedisLockService.builder(RedisBackend.create(client)).build()) {
      await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) locks)::listening);
      long childToken = Long.parseLong(child.awaitLine(l -> l.startsWith("holding "), Duration.ofSeconds(60))
          .substring("holding ".length()));
      FencedSemaphore semaphore = locks.semaphore(name, 1);
      assertThat(semaphore.tryAcquire()).as("the child holds the only permit").isEmpty();

      long killedAt = System.nanoTime();
      child.kill();
      LockHandle permit = semaphore.tryAcquire(Duration.ofSeconds(20), LockLease.fixed(Duration.ofSeconds(30)))
          .orElseThrow();
      Duration back = Duration.ofNanos(System.nanoTime() - killedAt);
      // the child renewed its 2 s lease every ~0.7 s: at least ~1.3 s of it was left at the kill
      assertThat(back).as("not while the killed holder's lease ran").isGreaterThan(Duration.ofSeconds(1));
      // lease (2 s) + one re-check (1 s), and 500 ms for a loaded machine's scheduling and round trips
      assertThat(back).as("back within the lease and one re-check").isLessThan(Duration.ofMillis(3_500));
      assertThat(permit.fencingToken().value()).isGreaterThan(childToken);
    }
  }

  @Test
  void holdsOfThreadsInTwoProcessesNeverOverlapAndTheirTokensGrowInOrder() throws Exception {
    HoldHistory history = new HoldHistory();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (ChildJvm child = child("cycles", "300");
        RedisClient client = redis.newClient();
        LockService locks = service(client)) {
      LockCycles.run(threads, List.of(locks), 2, 300, name, LockLease.fixed(Duration.ofSeconds(10)), history,
          new FencedRegister<>());
      child.awaitLine("done"::equals, Duration.ofMinutes(2));
      for (String line : child.output()) {
        if (line.startsWith("hold ")) {
          history.record(HoldHistory.Hold.of(List.of(line.split(" "))));
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(history.holds()).hasSize(900);
    assertThat(history.check()).isEmpty();
  }
}
