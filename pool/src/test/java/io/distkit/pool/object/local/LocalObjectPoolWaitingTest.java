package io.distkit.pool.object.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local pool with real threads and real time: callers that wait, in line, for objects or creations. */
class LocalObjectPoolWaitingTest {

  private final Scheduler scheduler = Scheduler.create("pool-test");
  private final TestObjects objects = new TestObjects();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() {
    callers.shutdownNow();
    scheduler.close();
  }

  private LocalObjectPool.Builder<TestObjects.Pooled> builder() {
    return LocalObjectPool.builder("waiting", objects).scheduler(scheduler);
  }

  /** Waits (real time) until {@code count} callers wait in line. */
  private static void awaitWaiting(ObjectPool<?> pool, int count) {
    await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == count);
  }

  @Test
  void anEmptyPoolCreatesOffTheCallersThreadAndLendsWhatItMade() throws Exception {
    try (ObjectPool<TestObjects.Pooled> pool = builder().build()) {
      try (Lease<TestObjects.Pooled> lease = pool.acquire(Duration.ofSeconds(10))) {
        assertThat(lease.get().id).isEqualTo(1);
      }
      assertThat(pool.stats().created()).isEqualTo(1);
      assertThat(pool.stats().waited()).isEqualTo(1);
      assertThat(objects.lastCreator).as("created on a scheduler thread").isNotSameAs(Thread.currentThread())
          .isNotNull();
    }
  }

  @Test
  void waitersAreServedFirstComeFirstServed() throws Exception {
    try (ObjectPool<TestObjects.Pooled> pool = builder().maxSize(1).build()) {
      Lease<TestObjects.Pooled> held = pool.acquire(Duration.ofSeconds(10));
      List<Integer> served = new CopyOnWriteArrayList<>();
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int me = i;
        waiting.add(callers.submit(() -> {
          try (Lease<TestObjects.Pooled> lease = pool.acquire(Duration.ofSeconds(30))) {
            served.add(me);
          }
          return null;
        }));
        awaitWaiting(pool, i + 1); // joined the line in this order
      }
      held.close();
      for (Future<?> f : waiting) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(served).containsExactly(0, 1, 2, 3, 4);
      assertThat(pool.stats().created()).as("one object served all").isEqualTo(1);
    }
  }

  @Test
  void aTimeoutNamesTheLongestHoldersAndTheFactorysLastFailure() throws Exception {
    try (ObjectPool<TestObjects.Pooled> pool = builder().maxSize(2).build()) {
      CountDownLatch holding = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      for (String name : List.of("holder-a", "holder-b")) {
        Thread t = new Thread(() -> {
          try (Lease<TestObjects.Pooled> lease = pool.acquire(Duration.ofSeconds(10))) {
            holding.countDown();
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, name);
        t.start();
      }
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(200)))
          .isInstanceOf(PoolTimeoutException.class)
          .hasMessageContaining("Pool waiting: no object within 200 ms; 2 of 2 lent (at most 2)")
          .hasMessageContaining("thread holder-a for").hasMessageContaining("thread holder-b for")
          .satisfies(e -> assertThat(((PoolTimeoutException) e).holders()).hasSize(2));
      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(waitedMillis).as("the timeout held").isBetween(190L, 5_000L);
      assertThat(pool.tryAcquire(Duration.ofMillis(50))).isEmpty();
      assertThat(pool.stats().timedOut()).isEqualTo(2);
      release.countDown();
    }
    TestObjects failing = new TestObjects();
    failing.failure.set(new IllegalStateException("database refused: too many connections"));
    try (ObjectPool<TestObjects.Pooled> pool = LocalObjectPool.builder("failing", failing).scheduler(scheduler)
        .build()) {
      assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(300)))
          .isInstanceOf(PoolTimeoutException.class)
          .hasMessageContaining("creating objects fails: java.lang.IllegalStateException: database refused")
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(pool.stats().creationFailures()).isPositive();
    }
  }

  @Test
  void anInterruptedWaiterLeavesTheLineHoldingNothing() throws Exception {
    try (ObjectPool<TestObjects.Pooled> pool = builder().maxSize(1).build()) {
      Lease<TestObjects.Pooled> held = pool.acquire(Duration.ofSeconds(10));
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try {
          pool.acquire(Duration.ofSeconds(30)).close();
        } catch (Throwable e) {
          outcome.set(e);
        }
      });
      waiter.start();
      awaitWaiting(pool, 1);
      waiter.interrupt();
      waiter.join(10_000);
      assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
      assertThat(pool.stats().waiting()).isZero();
      held.close();
      assertThat(pool.stats().idle()).as("given back to the pool, not to the waiter that left").isEqualTo(1);
    }
  }

  @Test
  void closeFailsWaitersAndWaitsForLentObjectsUntilTheirReturn() throws Exception {
    ObjectPool<TestObjects.Pooled> pool = builder().maxSize(1).closeTimeout(Duration.ofSeconds(30)).build();
    Lease<TestObjects.Pooled> held = pool.acquire(Duration.ofSeconds(10));
    Future<?> waiter = callers.submit(() -> pool.acquire(Duration.ofSeconds(30)));
    awaitWaiting(pool, 1);
    Future<?> closing = callers.submit(() -> pool.close());
    assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pool waiting is closed");
    assertThat(closing).isNotDone();
    assertThat(objects.alive).as("still lent: not destroyed").hasSize(1);
    held.close();
    closing.get(10, TimeUnit.SECONDS);
    assertThat(objects.alive).isEmpty();
    assertThat(objects.destroyed).hasValue(1);
  }

  @Test
  void aSpikeOfFiftyCallersOnAnEmptyPoolMakesAFewObjectsNotFifty() throws Exception {
    objects.createMillis = 100; // a slow connect; each caller then uses its object briefly
    try (ObjectPool<TestObjects.Pooled> pool = builder().maxSize(50).build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(callers.submit(() -> {
          start.await();
          try (Lease<TestObjects.Pooled> lease = pool.acquire(Duration.ofSeconds(30))) {
            lease.get().enter();
            lease.get().exit();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
      // 2 creations at a time, 100 ms each; the first two objects serve all 50 brief uses long before the next
      // round of creations ends: a pool that creates for each caller that finds nothing idle would make 50
      assertThat(objects.created.get()).as("objects created for 50 callers").isBetween(2, 10);
      assertThat(pool.stats().acquired()).isEqualTo(50);
    }
  }

  @Test
  void aFactoryThatFailsForAWhileIsRetriedAndCallersAreServedAsSoonAsItWorks() throws Exception {
    objects.failure.set(new IllegalStateException("refused"));
    try (ObjectPool<TestObjects.Pooled> pool = builder()
        .creationBackoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(50))).build()) {
      List<Future<Lease<TestObjects.Pooled>>> waiting = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        waiting.add(callers.submit(() -> pool.acquire(Duration.ofSeconds(30))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().creationFailures() >= 5);
      assertThat(pool.stats().created()).isZero();
      long healed = System.nanoTime();
      objects.failure.set(null);
      for (Future<Lease<TestObjects.Pooled>> f : waiting) {
        f.get(10, TimeUnit.SECONDS).close();
      }
      long servedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed);
      assertThat(servedMillis).as("served within the backoff cap (50 ms) and a few creations").isLessThan(5_000);
      assertThat(pool.stats().created()).as("at most the 5 callers' worth").isBetween(1L, 5L);
      // callers waited in line while creation failed: none was failed early
      assertThat(pool.stats().timedOut()).isZero();
    }
  }

  @Test
  void asyncAcquireNeverBlocksTheCallerWhileItWaits() throws Exception {
    objects.gate = new CountDownLatch(1); // creation blocks until the test opens it
    try (ObjectPool<TestObjects.Pooled> pool = builder().build()) {
      CompletableFuture<Lease<TestObjects.Pooled>> future = pool.acquireAsync(Duration.ofSeconds(10));
      assertThat(future).as("returned while the only creation is blocked").isNotDone();
      objects.gate.countDown();
      try (Lease<TestObjects.Pooled> lease = future.get(10, TimeUnit.SECONDS)) {
        assertThat(lease.get().id).isEqualTo(1);
      }
    }
  }
}
