package io.distkit.locks.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.Clock;
import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.FencedRegister;
import io.distkit.core.testing.HoldHistory;
import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.KindCycles;
import io.distkit.locks.LockCycles;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockService;
import io.distkit.locks.SharedHoldHistory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Threads on the real clock take, use and release locks; every hold is recorded and checked afterwards: no two
 * holds of a lock overlap, tokens grow in the order holds began, and a fenced register sees no stale write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalLockHistoryTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Scheduler scheduler = Scheduler.create("locks-history-test");
  private final LockService locks = LocalLockService.builder().clock(Clock.system()).scheduler(scheduler).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final ExecutorService releasers = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    pool.shutdownNow();
    releasers.shutdownNow();
    locks.close();
    scheduler.close();
  }

  @Test
  void fourThreadsOnOneLockNeverOverlapAndWriteOnlyWithTheNewestToken() throws Exception {
    HoldHistory history = new HoldHistory();
    FencedRegister<Integer> register = new FencedRegister<>();
    LockCycles.run(pool, List.of(locks), 4, 2_500, "hot", LockLease.renewed(Duration.ofSeconds(1)), history,
        register);
    assertThat(history.holds()).hasSize(10_000);
    assertThat(history.check()).isEmpty();
    assertThat(register.staleWrites()).isZero();
    assertThat(locks.stats().acquired()).isEqualTo(10_000);
    assertThat(locks.stats().held()).isZero();
  }

  @Test
  void locksTakenOnOneThreadAndReleasedOnAnotherAreNeverGrantedTwice() throws Exception {
    int names = 8;
    List<HoldHistory> histories = new ArrayList<>();
    for (int n = 0; n < names; n++) {
      histories.add(new HoldHistory());
    }
    List<CompletableFuture<Void>> cycles = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      int n = i % names;
      cycles.add(CompletableFuture.supplyAsync(() -> {
        try {
          Optional<LockHandle> granted = locks.tryAcquire("lock-" + n, WAIT, LockLease.fixed(Duration.ofMinutes(1)));
          return new Object[] {granted.orElseThrow(), HoldHistory.nowMicros()};
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, pool).thenAcceptAsync(taken -> {
        LockHandle lock = (LockHandle) taken[0];
        long end = HoldHistory.nowMicros();
        histories.get(n).record(new HoldHistory.Hold("task", lock.fencingToken(), (long) taken[1], end));
        assertThat(lock.release()).as("released by the other pool").isTrue();
      }, releasers));
    }
    CompletableFuture.allOf(cycles.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    for (HoldHistory history : histories) {
      assertThat(history.holds()).hasSize(100_000 / names);
      assertThat(history.check()).isEmpty();
    }
    assertThat(locks.stats().released()).isEqualTo(100_000);
  }

  @Test
  void semaphoreHoldersNeverExceedThePermits() throws Exception {
    SharedHoldHistory history = new SharedHoldHistory();
    KindCycles.run(pool, List.of(locks), 4, 500, 200, service -> draw -> new KindCycles.Pick(service.semaphore("db", 3),
        false), history);
    assertThat(history.entries()).hasSize(2_000);
    assertThat(history.check(3)).isEmpty();
    assertThat(history.peak()).as("three permits were used at once").isEqualTo(3);
  }

  @Test
  void aWriterNeverHoldsBesideAnyoneAndReadersShare() throws Exception {
    SharedHoldHistory history = new SharedHoldHistory();
    KindCycles.run(pool, List.of(locks), 4, 500, 200, service -> {
      FencedReadWriteLock rw = service.readWriteLock("catalog");
      return draw -> draw < 0.25 ? new KindCycles.Pick(rw.write(), true) : new KindCycles.Pick(rw.read(), false);
    }, history);
    assertThat(history.entries()).hasSize(2_000);
    assertThat(history.check(Integer.MAX_VALUE)).isEmpty();
    assertThat(history.peak()).as("readers held together").isGreaterThan(1);
  }
}
