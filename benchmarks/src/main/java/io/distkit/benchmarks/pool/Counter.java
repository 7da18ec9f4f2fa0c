package io.distkit.benchmarks.pool;

/**
 * The pooled object of {@link PoolBorrowBenchmark}: as cheap to use as an object can be, so that a borrow and
 * return measures the pool. Each borrower touches it once; only its holder does, so the count needs no
 * synchronization beyond the pool's hand-over.
 */
public final class Counter {

  private long touches;

  /** A counter at zero. */
  public Counter() {}

  /**
   * Counts one more use.
   *
   * @return the uses so far
   */
  public long touch() {
    return ++touches;
  }
}
