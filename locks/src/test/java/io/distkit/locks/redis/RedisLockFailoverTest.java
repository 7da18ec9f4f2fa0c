package io.distkit.locks.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distkit.core.BackendGuard;
import io.distkit.core.BackendUnavailableException;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisKeys;
import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.HoldHistory;
import io.distkit.core.testing.RedisCluster;
import io.distkit.core.testing.RedisServerProcess;
import io.distkit.core.testing.RedisServers;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClusterClient;

/**
 * The Redis Cluster master that serves a lock's slot is killed while two services (two clients) take and release
 * the lock in a loop. Redis replicates asynchronously, so a grant the dead master had not passed on can be lost
 * and two holders can overlap once: the fencing token is what keeps the data safe, so the check is that tokens
 * never go back (in the order holds began) and that a fenced register accepts no stale write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RedisLockFailoverTest {

  private static final RedisCluster CLUSTER = RedisServers.startCluster(3, 1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @AfterAll
  static void stop() {
    CLUSTER.close();
  }

  @Test
  void tokensNeverGoBackAcrossTheKillOfTheLocksMaster() throws Exception {
    String name = TestKeys.unique("failover");
    HoldHistory history = new HoldHistory();
    FencedRegister<Integer> register = new FencedRegister<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger cycles = new AtomicInteger();
    LongAdder unavailable = new LongAdder();
    List<AutoCloseable> opened = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        RedisClusterClient client = CLUSTER.newClient(Duration.ofMillis(500));
        LockService locks = RedisLockService.builder(RedisBackend.create(client,
                BackendGuard.builder().retryInterval(Duration.ofMillis(100)).build()))
            .recheckInterval(Duration.ofMillis(100)).leaseCheckInterval(Duration.ofMillis(100)).build();
        opened.add(locks);
        opened.add(client);
        String holder = "service-" + t;
        running.add(threads.submit(() -> {
          int i = 0;
          while (!stop.get()) {
            Optional<LockHandle> granted;
            try {
              granted = locks.tryAcquire(name, Duration.ofSeconds(5), LockLease.fixed(Duration.ofSeconds(2)));
            } catch (BackendUnavailableException e) {
              unavailable.increment();
              LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // a caller's retry backoff, not a busy loop
              continue; // the guard fails fast while the cluster fails over
            }
            if (granted.isEmpty()) {
              continue;
            }
            LockHandle lock = granted.get();
            long start = HoldHistory.nowMicros();
            register.write(lock.fencingToken(), i++);
            long end = HoldHistory.nowMicros();
            history.record(new HoldHistory.Hold(holder, lock.fencingToken(), start, end));
            cycles.incrementAndGet();
            try {
              lock.release();
            } catch (BackendUnavailableException e) {
              unavailable.increment(); // the lease runs out on its own
            }
          }
          return null;
        }));
      }
      await().atMost(WAIT).until(() -> cycles.get() >= 200);

      RedisServerProcess victim = CLUSTER.masterFor(leaseKey(name));
      victim.kill();
      int atKill = cycles.get();
      CLUSTER.awaitHealthy(WAIT);
      assertThat(CLUSTER.masterFor(leaseKey(name))).isNotSameAs(victim);
      await().atMost(WAIT).until(() -> cycles.get() >= atKill + 200);
      stop.set(true);
      for (Future<?> thread : running) {
        thread.get(1, TimeUnit.MINUTES);
      }
      victim.restart(); // rejoins as a replica of the promoted node
      CLUSTER.awaitHealthy(WAIT);
    } finally {
      stop.set(true);
      threads.shutdownNow();
      for (AutoCloseable c : opened) {
        c.close();
      }
    }
    List<HoldHistory.Violation> violations = history.check();
    System.out.printf("lock failover: %d holds, %d overlapping (a grant lost with the master), %d stale writes "
        + "rejected, %d calls refused while failing over%n", history.holds().size(), violations.size(),
        register.staleWrites(), unavailable.sum());
    assertThat(violations).as("tokens in the order holds began").noneMatch(v -> v.kind().equals("token order"));
    assertThat(register.accepted()).hasSizeGreaterThan(400);
  }

  /** The lock's lease key, as the service names it (default prefix). */
  private static String leaseKey(String name) {
    return RedisKeys.of("locks").key(name, "lease");
  }
}
