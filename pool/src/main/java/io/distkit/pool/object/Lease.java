package io.distkit.pool.object;

/**
 * One loan of a pooled object: use {@link #get()} until {@link #close()} gives the object back, or
 * {@link #invalidate()} has the pool destroy it instead (a connection that broke).
 *
 * <pre>{@code
 * try (Lease<Connection> lease = pool.acquire(Duration.ofSeconds(2))) {
 *   lease.get().send(request);
 * }
 * }</pre>
 *
 * <p>A lease ends once: after {@code close} or {@code invalidate}, both are no-ops and {@code get} throws, even if
 * the same object has meanwhile been lent to someone else (each loan is told apart from the next). A lease may be
 * closed from any thread.
 *
 * @param <T> the type of the pooled object
 */
public interface Lease<T> extends AutoCloseable {

  /**
   * The lent object.
   *
   * @return the object, for as long as the lease is open
   * @throws IllegalStateException when the lease has ended
   */
  T get();

  /**
   * Whether the lease is still open (neither closed, invalidated, nor ended by the pool's close after its
   * deadline).
   *
   * @return true while {@link #get()} may be used
   */
  boolean isOpen();

  /** Gives the object back to the pool. Idempotent. */
  @Override
  void close();

  /** Has the pool destroy the object instead of lending it again. Idempotent; a no-op after {@link #close()}. */
  void invalidate();
}
