package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.report.ReportGroup;
import io.distkit.core.testing.TestKeys;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * A borrow and return of one pooled object: distkit's {@code LocalObjectPool} beside Commons Pool 2 and Stormpot,
 * 1 and 2 threads.
 */
@ReportGroup(
    title = "Object pool, borrow and return",
    about = "Borrows and returns per microsecond of one pooled object (a small object whose counter the borrower "
        + "increments once), from a pool of 10 objects, all made before the measurement; 1 and 2 threads sharing "
        + "the pool, so a borrow never waits. Every borrow has a finite wait of 1 s, and no pool checks an object "
        + "on the way. `distkit-local` is `try (Lease<Counter> lease = pool.acquire(timeout)) { "
        + "lease.get().touch(); }` on `LocalObjectPool` with `maxSize(10).minIdle(10)` and its defaults otherwise "
        + "(validation after 500 ms idle, never due in this loop). Peers: `commons-pool2`, `GenericObjectPool` "
        + "(`maxTotal`, `maxIdle` and `minIdle` 10, `testOnBorrow` and `testOnReturn` false, "
        + "`blockWhenExhausted` true, JMX off, no evictor), `borrowObject(timeout)` and `returnObject`; "
        + "`stormpot` 3.2 (4.x needs Java 21), `Pool.from(allocator).setSize(10)` with its defaults (expiry after "
        + "8 to 10 minutes, a thread first tries the object it released last, kept in a `ThreadLocal`), "
        + "`claim(timeout)` and `release()`.")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBorrowBenchmark {

  /** The pool under test. */
  @Param({BorrowingPools.DISTKIT_LOCAL, BorrowingPools.COMMONS_POOL2, BorrowingPools.STORMPOT})
  public String implementation;

  private BorrowingPool pool;

  /**
   * Makes the pool and every object in it.
   *
   * @throws Exception when the pool could not be filled
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    pool = BorrowingPools.create(implementation, TestKeys.unique("bench"));
  }

  /** Shuts the pool down. */
  @TearDown(Level.Trial)
  public void tearDown() {
    pool.close();
  }

  /**
   * One thread.
   *
   * @return the borrowed counter's touches, consumed by JMH
   * @throws Exception when no object could be borrowed in time
   */
  @Benchmark
  @Threads(1)
  public long oneThread() throws Exception {
    return pool.borrowTouchReturn();
  }

  /**
   * Two threads sharing the pool.
   *
   * @return the borrowed counter's touches, consumed by JMH
   * @throws Exception when no object could be borrowed in time
   */
  @Benchmark
  @Threads(2)
  public long twoThreads() throws Exception {
    return pool.borrowTouchReturn();
  }
}
