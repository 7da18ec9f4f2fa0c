package io.distkit.pool.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distkit.core.session.Scheduler;
import io.distkit.core.testing.TestKeys;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LockService;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolTimeoutException;
import io.distkit.pool.object.PooledObjectFactory;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a fleet cap promises on every lock service: pools of several "JVMs" (each its own lock service, on its own
 * client) together never hold more objects than the cap, a destroyed object gives its permit back, and a closed
 * pool gives back all of them. Run on the local lock service and on Redis standalone and Cluster.
 */
public abstract class FleetCapContractTest {

  protected final String name = TestKeys.unique("fleet");
  private final Scheduler scheduler = Scheduler.create("fleet-test");
  private final List<AutoCloseable> opened = new ArrayList<>();
  /** Objects alive across every pool of the test. */
  private final AtomicInteger alive = new AtomicInteger();
  private final AtomicInteger mostAlive = new AtomicInteger();

  /**
   * A lock service as another JVM would have: its own client of the same deployment.
   *
   * @return a service, closed by the caller
   */
  protected abstract LockService newLockService();

  protected <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    scheduler.close();
  }

  /** Counts objects alive across the test's pools. */
  private final PooledObjectFactory<Integer> objects = new PooledObjectFactory<>() {
    @Override
    public Integer create() {
      int now = alive.incrementAndGet();
      mostAlive.accumulateAndGet(now, Math::max);
      return now;
    }

    @Override
    public void destroy(Integer object) {
      alive.decrementAndGet();
    }
  };

  /** A pool of a "JVM" of its own, capped by the fleet's semaphore. */
  protected ObjectPool<Integer> cappedPool(LockService locks, int permits, int maxSize) {
    FleetCap cap = FleetCap.of(locks.semaphore(name, permits)).withLease(Duration.ofSeconds(10));
    assertThat(cap.limit()).isEqualTo(permits);
    return closeAfter(LocalObjectPool.builder("capped", cap.limit(objects)).scheduler(scheduler).maxSize(maxSize)
        .closeTimeout(Duration.ZERO).build());
  }

  @Test
  void poolsOfSeveralJvmsTogetherNeverHoldMoreObjectsThanTheCap() throws Exception {
    LockService first = closeAfter(newLockService());
    LockService second = closeAfter(newLockService());
    ObjectPool<Integer> a = cappedPool(first, 3, 3);
    ObjectPool<Integer> b = cappedPool(second, 3, 3);
    Lease<Integer> a1 = a.acquire(Duration.ofSeconds(10));
    Lease<Integer> a2 = a.acquire(Duration.ofSeconds(10));
    Lease<Integer> b1 = b.acquire(Duration.ofSeconds(10));
    assertThatThrownBy(() -> b.acquire(Duration.ofMillis(300))).isInstanceOf(PoolTimeoutException.class)
        .hasMessageContaining("fleet cap " + name + ": all 3 permits are held")
        .hasCauseInstanceOf(FleetCapReachedException.class);
    assertThat(a.tryAcquire(Duration.ofMillis(100))).as("the cap holds in the first JVM too").isEmpty();
    assertThat(mostAlive.get()).isEqualTo(3);

    a2.invalidate(); // destroyed: its permit goes back, and the other JVM can create
    try (Lease<Integer> b2 = b.acquire(Duration.ofSeconds(10))) {
      assertThat(alive.get()).isEqualTo(3);
    }
    assertThat(mostAlive.get()).as("never more than the cap at once").isEqualTo(3);
    a1.close();
    b1.close();
  }

  @Test
  void aClosedPoolGivesBackEveryPermit() throws Exception {
    LockService locks = closeAfter(newLockService());
    ObjectPool<Integer> pool = cappedPool(locks, 2, 2);
    pool.acquire(Duration.ofSeconds(10)).close();
    Lease<Integer> lent = pool.acquire(Duration.ofSeconds(10));
    lent.close();
    FencedSemaphore permits = locks.semaphore(name, 2);
    assertThat(permits.inspect().holders()).isBetween(1, 2);
    pool.close();
    assertThat(alive.get()).isZero();
    assertThat(permits.inspect().holders()).as("every permit back").isZero();
  }

  @Test
  void aFailedCreationGivesItsPermitBack() throws Exception {
    LockService locks = closeAfter(newLockService());
    FencedSemaphore permits = locks.semaphore(name, 1);
    PooledObjectFactory<Integer> failing = () -> {
      throw new IllegalStateException("connection refused");
    };
    PooledObjectFactory<Integer> capped = FleetCap.of(permits).limit(failing);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(capped::create).hasMessage("connection refused");
      assertThat(permits.inspect().holders()).isZero();
    }
  }
}
