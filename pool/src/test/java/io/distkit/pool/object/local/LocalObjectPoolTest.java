package io.distkit.pool.object.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.testing.ManualClock;
import io.distkit.core.testing.ManualScheduler;
import io.distkit.pool.object.DestroyReason;
import io.distkit.pool.object.LeakReport;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolListener;
import io.distkit.pool.object.PoolStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local pool's behaviour on manual time: background work (creation, destruction, housekeeping) runs only when
 * the test lets the {@link ManualScheduler} run it, so every step is deterministic.
 */
class LocalObjectPoolTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final TestObjects objects = new TestObjects();
  private final List<DestroyReason> destroyedFor = new CopyOnWriteArrayList<>();
  private final List<LeakReport> leaks = new CopyOnWriteArrayList<>();
  private final PoolListener listener = new PoolListener() {
    @Override
    public void onDestroyed(String pool, DestroyReason reason) {
      destroyedFor.add(reason);
    }

    @Override
    public void onLeakSuspected(LeakReport report) {
      leaks.add(report);
    }
  };

  private LocalObjectPool.Builder<TestObjects.Pooled> builder() {
    return LocalObjectPool.builder("test", objects).clock(clock).scheduler(scheduler).listener(listener)
        .closeTimeout(Duration.ZERO);
  }

  /** A pool with {@code ready} idle objects, created by the scheduler. */
  private ObjectPool<TestObjects.Pooled> poolWith(int ready, LocalObjectPool.Builder<TestObjects.Pooled> builder) {
    ObjectPool<TestObjects.Pooled> pool = builder.minIdle(ready).build();
    scheduler.runDue();
    assertThat(pool.stats().idle()).as("objects made ready by the scheduler").isEqualTo(ready);
    return pool;
  }

  @AfterEach
  void tearDown() {
    scheduler.close();
  }

  private static Lease<TestObjects.Pooled> now(ObjectPool<TestObjects.Pooled> pool) throws InterruptedException {
    return pool.tryAcquire(Duration.ZERO).orElseThrow(() -> new AssertionError("nothing idle in " + pool));
  }

  @Test
  void anObjectGivenBackIsLentAgainAndEachLoanIsCounted() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder());
    TestObjects.Pooled first;
    try (Lease<TestObjects.Pooled> lease = now(pool)) {
      first = lease.get();
      clock.advance(Duration.ofMillis(7));
    }
    for (int i = 0; i < 15; i++) {
      try (Lease<TestObjects.Pooled> lease = now(pool)) {
        assertThat(lease.get()).isSameAs(first);
        clock.advance(Duration.ofMillis(1));
      }
    }
    PoolStats stats = pool.stats();
    assertThat(stats.acquired()).isEqualTo(16);
    assertThat(stats.created()).isEqualTo(1);
    // one loan in 16 is timed and counted 16 times: the 16th, held 1 ms
    assertThat(stats.usageNanos()).isEqualTo(Duration.ofMillis(16).toNanos());
    assertThat(stats.waited()).isZero();
    assertThat(stats.idle()).isEqualTo(1);
    assertThat(stats.borrowed()).isZero();
    pool.close();
  }

  @Test
  void aLeaseEndsOnceAndAStaleLeaseCannotEndTheNextLoan() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder());
    Lease<TestObjects.Pooled> stale = now(pool);
    stale.close();
    stale.close(); // idempotent
    assertThat(stale.isOpen()).isFalse();
    assertThatThrownBy(stale::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("ended");

    Lease<TestObjects.Pooled> current = now(pool); // the same object, a new loan
    stale.close();
    stale.invalidate();
    assertThat(current.isOpen()).as("the stale lease of the same object ended nothing").isTrue();
    assertThat(pool.stats().borrowed()).isEqualTo(1);
    assertThat(pool.tryAcquire(Duration.ZERO)).as("still lent, so nothing idle").isEmpty();
    current.close();
    assertThat(objects.destroyed).hasValue(0);
    pool.close();
  }

  @Test
  void anInvalidatedObjectIsDestroyedAndReplacedWhenNeeded() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder());
    Lease<TestObjects.Pooled> lease = now(pool);
    TestObjects.Pooled broken = lease.get();
    lease.invalidate();
    lease.close(); // no-op after invalidate
    scheduler.runDue();
    assertThat(broken.destroyed).isTrue();
    assertThat(destroyedFor).containsExactly(DestroyReason.INVALIDATED);
    assertThat(pool.stats().size()).as("minIdle 1: replaced").isEqualTo(1);
    try (Lease<TestObjects.Pooled> next = now(pool)) {
      assertThat(next.get()).isNotSameAs(broken);
    }
    pool.close();
  }

  @Test
  void anObjectIdleLongerThanTheThresholdIsValidatedOnBorrowAndAFailedOneIsNeverLent() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(2, builder().validateAfterIdle(Duration.ofSeconds(1)));
    clock.advance(Duration.ofMillis(999));
    now(pool).close();
    assertThat(objects.validations).as("idle less than the threshold: not validated").hasValue(0);

    clock.advance(Duration.ofSeconds(1));
    objects.alive.forEach(o -> o.valid = false);
    assertThat(pool.tryAcquire(Duration.ZERO)).as("failed validation: not lent").isEmpty();
    assertThat(objects.validations).as("no second validation after the deadline (no wait)").hasValue(1);
    assertThat(pool.tryAcquire(Duration.ZERO)).as("the other failed too").isEmpty();
    assertThat(objects.validations).hasValue(2);
    scheduler.runDue();
    assertThat(destroyedFor).containsExactly(DestroyReason.VALIDATION_FAILED, DestroyReason.VALIDATION_FAILED);
    assertThat(pool.stats().validationFailures()).isEqualTo(2);
    try (Lease<TestObjects.Pooled> lease = now(pool)) {
      assertThat(lease.get().valid).as("a new object").isTrue();
    }
    pool.close();
  }

  @Test
  void housekeepingValidatesIdleObjectsEvictsThoseIdleTooLongAboveMinIdleAndRetiresOldOnes() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder().maxSize(4).validateAfterIdle(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(60)).maxLifetime(Duration.ofMinutes(30))
        .healthCheckInterval(Duration.ofSeconds(10)));
    // three more objects, lent together then given back: four idle
    Lease<TestObjects.Pooled> a = now(pool);
    CompletableFuture<Lease<TestObjects.Pooled>> b = pool.acquireAsync(Duration.ofSeconds(1));
    CompletableFuture<Lease<TestObjects.Pooled>> c = pool.acquireAsync(Duration.ofSeconds(1));
    CompletableFuture<Lease<TestObjects.Pooled>> d = pool.acquireAsync(Duration.ofSeconds(1));
    scheduler.runDue();
    a.close();
    b.join().close();
    c.join().close();
    d.join().close();
    assertThat(pool.stats().idle()).isEqualTo(4);

    scheduler.advance(Duration.ofSeconds(10));
    assertThat(objects.validations).as("idle 10 s > 5 s: validated by housekeeping").hasValue(4);

    scheduler.advance(Duration.ofSeconds(60));
    scheduler.runDue();
    assertThat(pool.stats().size()).as("idle past the timeout, down to minIdle").isEqualTo(1);
    assertThat(destroyedFor).containsOnly(DestroyReason.IDLE).hasSize(3);

    scheduler.advance(Duration.ofMinutes(30));
    scheduler.runDue();
    assertThat(destroyedFor).as("the last one retired at its lifetime").contains(DestroyReason.LIFETIME);
    assertThat(pool.stats().size()).as("and replaced for minIdle").isEqualTo(1);
    pool.close();
  }

  @Test
  void anObjectPastItsLifetimeIsNeverLentAgain() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder().maxLifetime(Duration.ofMinutes(1))
        .healthCheckInterval(Duration.ofHours(1)));
    Lease<TestObjects.Pooled> lease = now(pool);
    TestObjects.Pooled old = lease.get();
    clock.advance(Duration.ofMinutes(1));
    lease.close();
    assertThat(pool.tryAcquire(Duration.ZERO)).as("the only object is past its lifetime").isEmpty();
    scheduler.runDue();
    assertThat(old.destroyed).isTrue();
    assertThat(destroyedFor).containsExactly(DestroyReason.LIFETIME);
    pool.close();
  }

  @Test
  void lifetimesAreJitteredBelowTheMaximumSoObjectsDoNotAllExpireTogether() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(10, builder().maxSize(10)
        .maxLifetime(Duration.ofMinutes(40)).healthCheckInterval(Duration.ofSeconds(6)));
    scheduler.advance(Duration.ofMinutes(39));
    assertThat(destroyedFor).as("2.5% of 40 min is 60 s: none gone before 39 min").isEmpty();
    scheduler.advance(Duration.ofSeconds(60));
    long retired = destroyedFor.stream().filter(r -> r == DestroyReason.LIFETIME).count();
    assertThat(retired).as("all gone by 40 min").isEqualTo(10);
    pool.close();
  }

  @Test
  void aLeaseHeldPastTheLeakThresholdIsReportedOnceWithWhereItWasAcquired() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder().leakThreshold(Duration.ofSeconds(30))
        .healthCheckInterval(Duration.ofSeconds(10)));
    Lease<TestObjects.Pooled> leaked = now(pool);
    scheduler.advance(Duration.ofSeconds(20));
    assertThat(leaks).isEmpty();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(leaks).hasSize(1);
    LeakReport report = leaks.get(0);
    assertThat(report.thread()).isEqualTo(Thread.currentThread().getName());
    assertThat(report.heldFor()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(report.acquiredAt()).isNotNull();
    assertThat(report.acquiredAt().getStackTrace()).extracting(StackTraceElement::getMethodName)
        .contains("aLeaseHeldPastTheLeakThresholdIsReportedOnceWithWhereItWasAcquired");
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(leaks).as("once per lease").hasSize(1);
    assertThat(pool.stats().leaksReported()).isEqualTo(1);
    leaked.close();
    pool.close();
  }

  @Test
  void asyncAcquireCompletesAtOnceWhenIdleAndLaterByHandOverOrTimeout() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder().maxSize(1));
    CompletableFuture<Lease<TestObjects.Pooled>> first = pool.acquireAsync(Duration.ofSeconds(1));
    assertThat(first).as("idle object: completed on the caller's thread at once").isDone();

    TestObjects.Pooled object = first.join().get();
    CompletableFuture<Lease<TestObjects.Pooled>> second = pool.acquireAsync(Duration.ofSeconds(1));
    CompletableFuture<Lease<TestObjects.Pooled>> third = pool.acquireAsync(Duration.ofMillis(500));
    scheduler.runDue();
    assertThat(second).isNotDone();
    first.join().close();
    scheduler.runDue();
    assertThat(second).as("handed over").isDone();
    assertThat(second.join().get()).isSameAs(object);
    scheduler.advance(Duration.ofMillis(500));
    assertThat(third).isCompletedExceptionally();
    assertThatThrownBy(third::join).hasCauseInstanceOf(io.distkit.pool.object.PoolTimeoutException.class)
        .hasMessageContaining("no object within 500 ms").hasMessageContaining("1 of 1 lent");
    second.join().close();
    pool.close();
  }

  @Test
  void aCancelledAsyncAcquireGivesUpItsPlaceAndALateObjectGoesBack() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(1, builder().maxSize(1));
    Lease<TestObjects.Pooled> held = now(pool);
    CompletableFuture<Lease<TestObjects.Pooled>> cancelled = pool.acquireAsync(Duration.ofSeconds(5));
    CompletableFuture<Lease<TestObjects.Pooled>> next = pool.acquireAsync(Duration.ofSeconds(5));
    scheduler.runDue();
    cancelled.cancel(false);
    held.close();
    scheduler.runDue();
    assertThat(next).as("the cancelled one left the line: the next got it").isDone();
    next.join().close();
    assertThat(pool.stats().idle()).isEqualTo(1);
    assertThat(pool.stats().waiting()).isZero();
    pool.close();
  }

  @Test
  void closeDestroysIdleObjectsAtOnceAndLentOnesWhenTheDeadlinePasses() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = poolWith(3, builder());
    Lease<TestObjects.Pooled> lent = now(pool);
    pool.close(Duration.ZERO);
    scheduler.runDue();
    assertThat(objects.alive).isEmpty();
    assertThat(objects.destroyed).hasValue(3);
    assertThat(lent.isOpen()).as("destroyed at the deadline: its lease ended").isFalse();
    lent.close(); // nothing happens
    assertThat(objects.destroyed).hasValue(3);
    assertThatThrownBy(() -> pool.acquire(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pool test is closed");
    assertThat(pool.acquireAsync(Duration.ZERO)).isCompletedExceptionally();
    pool.close(); // idempotent
  }

  @Test
  void badSettingsAndArgumentsAreRefusedNamingTheValue() throws Exception {
    assertThatThrownBy(() -> builder().maxSize(0)).hasMessage("maxSize (0) must be at least 1");
    assertThatThrownBy(() -> builder().minIdle(-1)).hasMessage("minIdle (-1) must be at least 0");
    assertThatThrownBy(() -> builder().maxSize(2).minIdle(3).build())
        .hasMessage("minIdle (3) must not exceed maxSize (2)");
    assertThatThrownBy(() -> builder().acquireTimeout(Duration.ofSeconds(-1)))
        .hasMessage("acquireTimeout (PT-1S) must not be negative");
    assertThatThrownBy(() -> builder().healthCheckInterval(Duration.ZERO))
        .hasMessage("healthCheckInterval (PT0S) must be positive");
    assertThatThrownBy(() -> builder().maxConcurrentCreates(0)).hasMessage("maxConcurrentCreates (0) must be at least 1");
    assertThatThrownBy(() -> LocalObjectPool.builder(" ", objects)).hasMessageContaining("name");
    ObjectPool<TestObjects.Pooled> pool = builder().build();
    assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(-5)))
        .hasMessage("timeout (PT-0.005S) must not be negative");
    Optional<Lease<TestObjects.Pooled>> none = pool.tryAcquire(Duration.ZERO);
    assertThat(none).as("empty pool, no wait: nothing, and nothing created for it").isEmpty();
    pool.close();
  }
}
