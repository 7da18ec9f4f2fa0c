package io.distkit.benchmarks.pool;

import static org.awaitility.Awaitility.await;

import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.local.LocalObjectPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import stormpot.Allocator;
import stormpot.BasePoolable;
import stormpot.Pool;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * The pools whose borrow and return {@link PoolBorrowBenchmark} measures: each holds {@value #SIZE} counters, all
 * made before the measurement, and borrows with a finite wait of {@link #TIMEOUT} (never reached: there are more
 * counters than threads). Validation is off or never due: no pool checks an object on the way.
 */
public final class BorrowingPools {

  /** distkit's {@code LocalObjectPool}: {@code try (Lease<Counter> lease = pool.acquire(TIMEOUT))}. */
  public static final String DISTKIT_LOCAL = "distkit-local";

  /** Apache Commons Pool 2's {@code GenericObjectPool} (the pool under Jedis' {@code JedisPool}). */
  public static final String COMMONS_POOL2 = "commons-pool2";

  /** Stormpot's pool ({@code Pool.from(allocator)}): {@code claim(timeout)} and {@code release()}. */
  public static final String STORMPOT = "stormpot";

  /** Counters in every pool. */
  public static final int SIZE = 10;

  /** Every borrow's wait. */
  public static final Duration TIMEOUT = Duration.ofSeconds(1);

  private static final Timeout STORMPOT_TIMEOUT = new Timeout(TIMEOUT);

  private BorrowingPools() {}

  /**
   * A pool of {@value #SIZE} counters, every one of them made and idle.
   *
   * @param implementation one of the constants of this class
   * @param name a name no other trial uses
   * @return the pool
   * @throws Exception when the pool could not be filled
   */
  public static BorrowingPool create(String implementation, String name) throws Exception {
    return switch (implementation) {
      case DISTKIT_LOCAL -> distkit(name);
      case COMMONS_POOL2 -> commonsPool2();
      case STORMPOT -> stormpot();
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a pool of "
          + "this benchmark");
    };
  }

  /** distkit with its defaults (validation after 500 ms idle: never due in a loop), kept full by minIdle. */
  private static BorrowingPool distkit(String name) {
    ObjectPool<Counter> pool = LocalObjectPool.builder(name, Counter::new).maxSize(SIZE).minIdle(SIZE).build();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> pool.stats().idle() == SIZE);
    } catch (RuntimeException | Error e) {
      pool.close();
      throw e;
    }
    return new BorrowingPool() {
      @Override
      public long borrowTouchReturn() throws InterruptedException {
        try (Lease<Counter> lease = pool.acquire(TIMEOUT)) {
          return lease.get().touch();
        }
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  /**
   * Commons Pool 2 with no check on borrow or return, blocking when exhausted (its default, with a finite wait
   * here), no JMX registration, no evictor; {@code preparePool} makes the {@code minIdle} counters.
   */
  private static BorrowingPool commonsPool2() throws Exception {
    GenericObjectPoolConfig<Counter> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(SIZE);
    config.setMaxIdle(SIZE);
    config.setMinIdle(SIZE);
    config.setTestOnBorrow(false);
    config.setTestOnReturn(false);
    config.setBlockWhenExhausted(true);
    config.setJmxEnabled(false);
    GenericObjectPool<Counter> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
      @Override
      public Counter create() {
        return new Counter();
      }

      @Override
      public PooledObject<Counter> wrap(Counter counter) {
        return new DefaultPooledObject<>(counter);
      }
    }, config);
    pool.preparePool();
    if (pool.getNumIdle() != SIZE) {
      pool.close();
      throw new IllegalStateException("commons-pool2 holds " + pool.getNumIdle() + " idle counters, not " + SIZE);
    }
    return new BorrowingPool() {
      @Override
      public long borrowTouchReturn() throws Exception {
        Counter counter = pool.borrowObject(TIMEOUT);
        try {
          return counter.touch();
        } finally {
          pool.returnObject(counter);
        }
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  /** A Stormpot poolable holding a counter. */
  private static final class StormpotCounter extends BasePoolable {
    final Counter counter = new Counter();

    StormpotCounter(Slot slot) {
      super(slot);
    }
  }

  /**
   * Stormpot with its defaults (its background allocation thread, expiry after 8 to 10 minutes), filled by claiming
   * every counter at once.
   */
  private static BorrowingPool stormpot() throws InterruptedException {
    Pool<StormpotCounter> pool = Pool.from(new Allocator<StormpotCounter>() {
      @Override
      public StormpotCounter allocate(Slot slot) {
        return new StormpotCounter(slot);
      }

      @Override
      public void deallocate(StormpotCounter poolable) {}
    }).setSize(SIZE).build();
    List<StormpotCounter> all = new ArrayList<>();
    try {
      for (int i = 0; i < SIZE; i++) {
        StormpotCounter claimed = pool.claim(new Timeout(Duration.ofSeconds(30)));
        if (claimed == null) {
          throw new IllegalStateException("stormpot made " + i + " counters in 30 s, not " + SIZE);
        }
        all.add(claimed);
      }
    } catch (RuntimeException | InterruptedException e) {
      all.forEach(StormpotCounter::release);
      pool.shutdown();
      throw e;
    }
    all.forEach(StormpotCounter::release);
    return new BorrowingPool() {
      @Override
      public long borrowTouchReturn() throws InterruptedException {
        StormpotCounter claimed = pool.claim(STORMPOT_TIMEOUT);
        if (claimed == null) {
          throw new IllegalStateException("stormpot lent nothing within " + TIMEOUT);
        }
        try {
          return claimed.counter.touch();
        } finally {
          claimed.release();
        }
      }

      @Override
      public void close() {
        try {
          pool.shutdown().await(new Timeout(Duration.ofSeconds(10)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
