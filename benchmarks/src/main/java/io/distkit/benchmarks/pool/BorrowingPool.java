package io.distkit.benchmarks.pool;

/** One implementation's borrow of a {@link Counter}, one touch of it, and its return, as a user writes them. */
public interface BorrowingPool extends AutoCloseable {

  /**
   * Borrows a counter (waiting up to {@link BorrowingPools#TIMEOUT}), touches it and gives it back.
   *
   * @return the counter's touches so far
   * @throws Exception when no counter could be borrowed in time, or the pool failed
   */
  long borrowTouchReturn() throws Exception;

  /** Shuts the pool down. */
  @Override
  void close();
}
