package io.distkit.pool.balance;

import io.distkit.pool.object.Lease;

/**
 * A lease from a {@link LoadBalancer}: a lease of the chosen endpoint's pool, which also tells the balancer how the
 * work went. Close it as any lease; call {@link #failed(Throwable)} first when the endpoint answered with an error,
 * so that an endpoint that keeps failing is ejected (a lease closed without a failure counts as a success).
 *
 * @param <T> the type of the pooled object
 */
public interface BalancedLease<T> extends Lease<T> {

  /**
   * The endpoint this lease came from.
   *
   * @return its id
   */
  String endpoint();

  /**
   * Reports that the work on this endpoint failed (an error answer, a broken connection): counted towards the
   * endpoint's ejection. Call it before {@link #close()} or {@link #invalidate()}; once per lease.
   *
   * @param failure what went wrong
   */
  void failed(Throwable failure);
}
