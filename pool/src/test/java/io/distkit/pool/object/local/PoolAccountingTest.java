package io.distkit.pool.object.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distkit.core.session.Scheduler;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolStats;
import io.distkit.pool.object.PoolTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Randomized races over the pool's whole surface (acquire, tryAcquire, acquireAsync, close, double close,
 * invalidate, timeouts, validation failures, lifetimes, idle eviction, close of the pool), checked against what must
 * always hold: an object is never lent to two holders at once nor used after it was destroyed, never more than the
 * maximum are lent, every successful acquisition is counted once, and after the pool's close every object made was
 * destroyed exactly once ({@link TestObjects} fails on a double destroy).
 */
class PoolAccountingTest {

  private static final int THREADS = 8;
  private static final int MAX_SIZE = 3;

  private final Scheduler scheduler = Scheduler.create("pool-accounting");

  @AfterEach
  void tearDown() {
    scheduler.close();
  }

  /** What the borrowers saw. */
  private static final class Tally {
    final AtomicInteger lentNow = new AtomicInteger();
    final AtomicInteger mostLent = new AtomicInteger();
    final AtomicLong acquired = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final List<Throwable> violations = java.util.Collections.synchronizedList(new ArrayList<>());

    void use(Lease<TestObjects.Pooled> lease, SplittableRandom random) {
      acquired.incrementAndGet();
      int now = lentNow.incrementAndGet();
      mostLent.accumulateAndGet(now, Math::max);
      try {
        TestObjects.Pooled object = lease.get();
        object.enter();
        if (random.nextInt(4) == 0) {
          Thread.onSpinWait();
        }
        object.exit();
      } catch (AssertionError e) {
        violations.add(e);
      } finally {
        lentNow.decrementAndGet();
      }
      switch (random.nextInt(6)) {
        case 0 -> lease.invalidate();
        case 1 -> {
          lease.close();
          lease.close(); // a second close must end nothing
        }
        case 2 -> {
          lease.close();
          lease.invalidate(); // nor an invalidate after the close
        }
        default -> lease.close();
      }
    }
  }

  private ObjectPool<TestObjects.Pooled> churningPool(TestObjects objects, SplittableRandom random) {
    return LocalObjectPool.builder("accounting", objects).scheduler(scheduler)
        .maxSize(MAX_SIZE)
        .minIdle(random.nextInt(MAX_SIZE + 1))
        .validateAfterIdle(Duration.ofMillis(random.nextInt(3)))
        .idleTimeout(Duration.ofMillis(5))
        .maxLifetime(Duration.ofMillis(20 + random.nextInt(30)))
        .healthCheckInterval(Duration.ofMillis(2))
        .closeTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static void borrowRandomly(ObjectPool<TestObjects.Pooled> pool, TestObjects objects, Tally tally,
      SplittableRandom random, int operations) throws InterruptedException {
    for (int i = 0; i < operations; i++) {
      if (random.nextInt(50) == 0) {
        objects.alive.stream().findAny().ifPresent(o -> o.valid = false); // it breaks while idle or lent
      }
      Duration wait = Duration.ofMillis(random.nextInt(3));
      switch (random.nextInt(3)) {
        case 0 -> {
          try {
            tally.use(pool.acquire(wait), random);
          } catch (PoolTimeoutException e) {
            tally.timeouts.incrementAndGet();
          }
        }
        case 1 -> {
          Optional<Lease<TestObjects.Pooled>> lease = pool.tryAcquire(wait);
          if (lease.isPresent()) {
            tally.use(lease.get(), random);
          } else {
            tally.timeouts.incrementAndGet();
          }
        }
        default -> {
          CompletableFuture<Lease<TestObjects.Pooled>> future = pool.acquireAsync(wait);
          if (random.nextInt(8) == 0 && future.cancel(false)) {
            continue; // a lease that arrives anyway must go back to the pool
          }
          try {
            tally.use(future.join(), random);
          } catch (CompletionException e) {
            if (!(e.getCause() instanceof PoolTimeoutException)) {
              throw e;
            }
            tally.timeouts.incrementAndGet();
          } catch (java.util.concurrent.CancellationException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }

  @Test
  void randomRacesNeverLendAnObjectTwiceNorMoreThanTheMaximumAndCloseDestroysEverything() throws Exception {
    for (int round = 0; round < 6; round++) {
      long seed = 42 + round;
      SplittableRandom seeds = new SplittableRandom(seed);
      TestObjects objects = new TestObjects();
      ObjectPool<TestObjects.Pooled> pool = churningPool(objects, seeds.split());
      Tally tally = new Tally();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = seeds.split();
        Thread thread = new Thread(() -> {
          try {
            start.await();
            borrowRandomly(pool, objects, tally, random, 2_000);
          } catch (Throwable e) {
            failures.add(e);
          }
        }, "borrower-" + t);
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join(60_000);
        assertThat(thread.isAlive()).as("borrower finished, seed " + seed).isFalse();
      }
      assertThat(failures).as("seed " + seed).isEmpty();
      assertThat(tally.violations).as("seed " + seed).isEmpty();
      assertThat(tally.mostLent.get()).as("lent at once, seed " + seed).isBetween(1, MAX_SIZE);
      // cancelled async acquisitions may still be completing on the scheduler: wait until every lease is back
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().borrowed() == 0);
      PoolStats stats = pool.stats();
      assertThat(stats.acquired()).as("acquisitions counted once each (plus cancelled ones), seed " + seed)
          .isGreaterThanOrEqualTo(tally.acquired.get());
      assertThat(stats.waiting()).isZero();
      assertThat(stats.size()).isLessThanOrEqualTo(MAX_SIZE);
      pool.close();
      assertThat(objects.alive).as("every object destroyed after close, seed " + seed).isEmpty();
      assertThat(objects.destroyed.get()).as("destroyed once each, seed " + seed).isEqualTo(objects.created.get());
      assertThat(pool.stats().destroyed()).isEqualTo(objects.created.get());
    }
  }

  @Test
  void closingWhileBorrowersRaceLeavesNoObjectAliveAndNoCallerStuck() throws Exception {
    for (int round = 0; round < 6; round++) {
      long seed = 7 + round;
      SplittableRandom seeds = new SplittableRandom(seed);
      TestObjects objects = new TestObjects();
      ObjectPool<TestObjects.Pooled> pool = LocalObjectPool.builder("closing", objects).scheduler(scheduler)
          .maxSize(MAX_SIZE).closeTimeout(Duration.ofMillis(seeds.nextInt(5))).build();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = seeds.split();
        Thread thread = new Thread(() -> {
          try {
            while (true) {
              try (Lease<TestObjects.Pooled> lease = pool.acquire(Duration.ofSeconds(5))) {
                if (random.nextInt(3) == 0) {
                  Thread.onSpinWait();
                }
              }
            }
          } catch (IllegalStateException closed) {
            // the pool closed: the expected way out
          } catch (Throwable e) {
            unexpected.add(e);
          }
        }, "racer-" + t);
        thread.start();
        threads.add(thread);
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pool.stats().acquired() > 1_000);
      pool.close();
      for (Thread thread : threads) {
        thread.join(10_000);
        assertThat(thread.isAlive()).as("a caller stuck after close, seed " + seed).isFalse();
      }
      assertThat(unexpected).as("seed " + seed).isEmpty();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> objects.alive.isEmpty());
      assertThat(objects.destroyed.get()).isEqualTo(objects.created.get());
    }
  }
}
