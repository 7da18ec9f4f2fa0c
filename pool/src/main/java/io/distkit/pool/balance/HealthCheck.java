package io.distkit.pool.balance;

/**
 * Checks an endpoint through one of its pooled objects (a connection answers {@code PING}).
 *
 * @param <T> the type of the pooled objects
 */
@FunctionalInterface
public interface HealthCheck<T> {

  /**
   * A check that only needs an object to be lent: the pool's own validation and creation are the check.
   *
   * @param <T> the type of the pooled objects
   * @return the check
   */
  static <T> HealthCheck<T> borrowOnly() {
    return object -> true;
  }

  /**
   * Checks.
   *
   * @param object an object borrowed from the endpoint's pool for the check
   * @return whether the endpoint works; false (or an exception) counts as a failure, and the object is invalidated
   * @throws Exception counts as a failure
   */
  boolean check(T object) throws Exception;
}
