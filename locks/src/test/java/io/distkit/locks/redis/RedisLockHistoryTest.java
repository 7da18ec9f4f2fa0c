package io.distkit.locks.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.redis.RedisBackend;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.ContractTest;
import io.distkit.core.testing.Deployment;
import io.distkit.core.testing.Deployments;
import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.HoldHistory;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.KindCycles;
import io.distkit.locks.LockCycles;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.LockStats;
import io.distkit.locks.SharedHoldHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * Two services (two clients, as two JVMs would have), two threads each, on one Redis lock on the real clock and the
 * server's time: every hold is recorded and the history checked (no two holds overlap, tokens grow in the order
 * holds began, a fenced register sees no stale write), and every grant after the first came by hand-off.
 */
@Deployments({Deployment.Kind.STANDALONE, Deployment.Kind.CLUSTER})
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisLockHistoryTest {

  private final Scheduler scheduler = Scheduler.create("locks-redis-history-test");
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    for (AutoCloseable c : opened) {
      c.close();
    }
    scheduler.close();
  }

  private LockService service(Deployment deployment) {
    var client = deployment.newClient();
    LockService service = RedisLockService.builder(RedisBackend.create(client)).scheduler(scheduler).build();
    opened.add(service);
    opened.add(client);
    await().atMost(Duration.ofSeconds(10)).until(((RedisLocks) service)::listening);
    return service;
  }

  @ContractTest
  void fourThreadsOfTwoServicesNeverOverlapAndWriteOnlyWithTheNewestToken(Deployment deployment) throws Exception {
    String name = TestKeys.unique("hot");
    List<LockService> services = List.of(service(deployment), service(deployment));
    HoldHistory history = new HoldHistory();
    FencedRegister<Integer> register = new FencedRegister<>();
    LockCycles.run(threads, services, 4, 150, name, LockLease.fixed(Duration.ofSeconds(10)), history, register);
    assertThat(history.holds()).hasSize(600);
    assertThat(history.check()).isEmpty();
    assertThat(register.staleWrites()).isZero();
    LockStats a = services.get(0).stats();
    LockStats b = services.get(1).stats();
    assertThat(a.acquired() + b.acquired()).isEqualTo(600);
    assertThat(a.released() + b.released()).isEqualTo(600);
    assertThat(a.held() + b.held()).isZero();
  }

  @ContractTest
  void semaphoreHoldersOfTwoServicesNeverExceedThePermits(Deployment deployment) throws Exception {
    String name = TestKeys.unique("permits");
    SharedHoldHistory history = new SharedHoldHistory();
    KindCycles.run(threads, List.of(service(deployment), service(deployment)), 4, 100, 1_000,
        locks -> draw -> new KindCycles.Pick(locks.semaphore(name, 2), false), history);
    assertThat(history.entries()).hasSize(400);
    assertThat(history.check(2)).isEmpty();
    assertThat(history.peak()).as("two permits were used at once").isEqualTo(2);
  }

  @ContractTest
  void aWriterOfTwoServicesNeverHoldsBesideAnyoneAndReadersShare(Deployment deployment) throws Exception {
    String name = TestKeys.unique("rw");
    SharedHoldHistory history = new SharedHoldHistory();
    KindCycles.run(threads, List.of(service(deployment), service(deployment)), 4, 100, 1_000, locks -> {
      FencedReadWriteLock rw = locks.readWriteLock(name);
      return draw -> draw < 0.25 ? new KindCycles.Pick(rw.write(), true) : new KindCycles.Pick(rw.read(), false);
    }, history);
    assertThat(history.entries()).hasSize(400);
    assertThat(history.check(Integer.MAX_VALUE)).isEmpty();
    assertThat(history.peak()).as("readers held together").isGreaterThan(1);
  }
}
