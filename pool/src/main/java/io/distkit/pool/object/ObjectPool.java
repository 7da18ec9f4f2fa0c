package io.distkit.pool.object;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Lends objects made by a {@link PooledObjectFactory}: at most a maximum at once, each lent to one holder at a time
 * as a {@link Lease}.
 *
 * <pre>{@code
 * ObjectPool<Connection> pool = LocalObjectPool.builder("db", factory).maxSize(20).build();
 * try (Lease<Connection> lease = pool.acquire(Duration.ofSeconds(2))) {
 *   lease.get().query(sql);
 * }
 * }</pre>
 *
 * <p>Every wait is finite. A caller that finds no idle object waits in line (first come, first served) while the
 * pool creates objects off the caller's thread, up to the maximum; an object given back goes straight to the first
 * waiter. Thread-safe; no thread is pinned by a monitor (virtual threads are welcome).
 *
 * @param <T> the type of the pooled objects
 */
public interface ObjectPool<T> extends AutoCloseable {

  /**
   * The pool's name, as given to its builder.
   *
   * @return the name
   */
  String name();

  /**
   * Borrows an object, waiting up to the pool's default acquire timeout.
   *
   * @return the lease
   * @throws PoolTimeoutException when none could be lent within the timeout
   * @throws InterruptedException when the thread was interrupted while waiting (it then holds nothing)
   * @throws IllegalStateException when the pool is closed
   */
  Lease<T> acquire() throws InterruptedException;

  /**
   * Borrows an object, waiting up to {@code timeout}.
   *
   * @param timeout how long to wait for one; zero: only an idle one, now
   * @return the lease
   * @throws PoolTimeoutException when none could be lent within the timeout; its message names the longest holders
   * @throws InterruptedException when the thread was interrupted while waiting (it then holds nothing)
   * @throws IllegalStateException when the pool is closed
   */
  Lease<T> acquire(Duration timeout) throws InterruptedException;

  /**
   * Borrows an object if one can be lent within {@code timeout}: {@link #acquire(Duration)} with the timeout as a
   * value instead of an exception.
   *
   * @param timeout how long to wait for one; zero: only an idle one, now
   * @return the lease, or empty when none could be lent in time
   * @throws InterruptedException when the thread was interrupted while waiting
   * @throws IllegalStateException when the pool is closed
   */
  Optional<Lease<T>> tryAcquire(Duration timeout) throws InterruptedException;

  /**
   * Borrows an object without blocking the caller: the future completes with the lease (on a scheduler thread, or
   * at once when an object is idle), or exceptionally with a {@link PoolTimeoutException} at the deadline, or an
   * {@link IllegalStateException} when the pool closes first. Cancelling the future gives up the place in line; a
   * lease that arrives after the future was cancelled goes back to the pool.
   *
   * @param timeout how long to wait for one
   * @return the future lease
   */
  CompletableFuture<Lease<T>> acquireAsync(Duration timeout);

  /**
   * The pool's state and counts.
   *
   * @return a snapshot
   */
  PoolStats stats();

  /**
   * Closes the pool gracefully, waiting up to the builder's {@code closeTimeout}: see {@link #close(Duration)}.
   */
  @Override
  void close();

  /**
   * Closes the pool: waiters and later acquisitions fail with {@link IllegalStateException}, idle objects are
   * destroyed at once, lent objects as they come back; at {@code deadline}, objects still lent are destroyed
   * (their leases end: {@code get} throws). Returns when every object has been destroyed, or at the deadline if
   * the factory's {@code destroy} calls have not all finished by then. Idempotent.
   *
   * @param deadline how long to wait for lent objects to come back
   */
  void close(Duration deadline);
}
