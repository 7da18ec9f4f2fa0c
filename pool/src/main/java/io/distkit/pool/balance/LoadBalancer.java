package io.distkit.pool.balance;

import io.distkit.pool.object.PoolTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Lends objects from one of several pooled endpoints, picked by a {@link BalanceStrategy} among the healthy ones.
 *
 * <pre>{@code
 * LoadBalancer<Jedis> replicas = LoadBalancer.<Jedis>builder("replicas")
 *     .endpoint(Endpoint.of("replica-1", pool1)).endpoint(Endpoint.of("replica-2", pool2))
 *     .strategy(BalanceStrategy.powerOfTwoChoices())
 *     .healthCheck(jedis -> "PONG".equals(jedis.ping()))
 *     .build();
 * try (BalancedLease<Jedis> lease = replicas.acquire(Duration.ofMillis(200))) {
 *   try {
 *     return lease.get().get(key);
 *   } catch (JedisException e) {
 *     lease.failed(e);     // five failures in a row eject replica-N until a health check passes
 *     throw e;
 *   }
 * }
 * }</pre>
 *
 * <p><b>Health.</b> An endpoint leaves rotation after {@code ejectAfter} failures in a row (reported by leases with
 * {@link BalancedLease#failed}, or failed health checks), as Envoy's outlier ejection does; while out it is probed
 * in the background (a borrow from its pool and the {@link HealthCheck}) with backoff, and the first probe that
 * passes brings it back (a lease that ends well does not: it may have started before the ejection). Healthy endpoints are checked every {@code healthCheckInterval}. When every endpoint is out,
 * the balancer picks among all of them (Envoy's panic mode) rather than fail every call.
 *
 * <p>A lease is a lease of the chosen endpoint's pool: its wait, validation and timeout are that pool's. Thread-safe.
 *
 * @param <T> the type of the pooled objects
 */
public interface LoadBalancer<T> extends AutoCloseable {

  /**
   * Starts configuring a balancer.
   *
   * @param name its name, for messages and health events
   * @param <T> the type of the pooled objects
   * @return a builder
   */
  static <T> LoadBalancerBuilder<T> builder(String name) {
    return new LoadBalancerBuilder<>(name);
  }

  /**
   * Picks an endpoint and borrows from its pool, waiting up to {@code timeout} there.
   *
   * @param timeout the wait on the chosen endpoint's pool
   * @return the lease
   * @throws PoolTimeoutException when the chosen pool lent nothing in time
   * @throws InterruptedException when interrupted while waiting
   * @throws IllegalArgumentException for a consistent-hash balancer, which needs a key
   */
  BalancedLease<T> acquire(Duration timeout) throws InterruptedException;

  /**
   * Picks the endpoint for {@code key} (consistent hash; other strategies ignore the key) and borrows from it.
   *
   * @param key the request's key (a user id, a tenant)
   * @param timeout the wait on the chosen endpoint's pool
   * @return the lease
   * @throws PoolTimeoutException when the chosen pool lent nothing in time
   * @throws InterruptedException when interrupted while waiting
   */
  BalancedLease<T> acquire(String key, Duration timeout) throws InterruptedException;

  /**
   * {@link #acquire(String, Duration)} with a timeout as an empty result.
   *
   * @param key the request's key, or null for strategies that need none
   * @param timeout the wait on the chosen endpoint's pool
   * @return the lease, or empty when the chosen pool lent nothing in time
   * @throws InterruptedException when interrupted while waiting
   */
  Optional<BalancedLease<T>> tryAcquire(@org.jspecify.annotations.Nullable String key, Duration timeout)
      throws InterruptedException;

  /**
   * Each endpoint's state and counts, in the order they were added.
   *
   * @return the endpoints
   */
  List<EndpointStats> stats();

  /** Stops the health checks. The endpoints' pools are the caller's: they stay open. Idempotent. */
  @Override
  void close();
}
