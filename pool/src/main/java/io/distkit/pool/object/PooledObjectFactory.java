package io.distkit.pool.object;

/**
 * Makes, checks and disposes of the objects a pool lends: connections, channels, parsers, buffers.
 *
 * <p>The pool calls {@link #create()} and {@link #destroy} on its scheduler's threads, never on a thread that is
 * acquiring (a slow connect does not hold up a caller beyond its wait), and {@link #validate} on an acquiring
 * thread (an object idle longer than the pool's {@code validateAfterIdle}) or on a scheduler thread (background
 * health checks). Methods may be called concurrently for different objects; never for one object at once.
 *
 * @param <T> the type of the pooled objects
 */
public interface PooledObjectFactory<T> {

  /**
   * Makes a new object.
   *
   * @return the object, never null
   * @throws Exception when it cannot be made now: the pool tries again after a backoff, and callers that time out
   *     meanwhile are told this exception
   */
  T create() throws Exception;

  /**
   * Checks that an object still works (a connection still answers).
   *
   * @param object an object this factory made, not lent to anyone during the call
   * @return whether it may be lent; false (or an exception) destroys it
   * @throws Exception treated as false
   */
  default boolean validate(T object) throws Exception {
    return true;
  }

  /**
   * Checks that an object still works, within a time limit: the pool calls this one, with what is left of the
   * borrower's wait (at least {@code 50 ms}, at most the pool's {@code validationTimeout}), so that a check of a dead
   * connection cannot hold a borrower past its timeout. Override it when the check can be bounded (a socket timeout
   * for the round trip, as {@code JedisConnectionFactory} does); by default it calls {@link #validate(Object)}.
   *
   * @param object an object this factory made, not lent to anyone during the call
   * @param timeout how long the check may take
   * @return whether it may be lent; false (or an exception) destroys it
   * @throws Exception treated as false
   */
  default boolean validate(T object, java.time.Duration timeout) throws Exception {
    return validate(object);
  }

  /**
   * Disposes of an object the pool no longer keeps (closes the connection).
   *
   * @param object an object this factory made; the pool never lends it again
   * @throws Exception logged at WARN; the object is dropped anyway
   */
  default void destroy(T object) throws Exception {}
}
