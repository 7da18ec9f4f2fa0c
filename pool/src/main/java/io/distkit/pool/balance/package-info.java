/**
 * A load balancer over pooled endpoints: {@link io.distkit.pool.balance.LoadBalancer} picks one of several
 * {@link io.distkit.pool.object.ObjectPool}s by a {@link io.distkit.pool.balance.BalanceStrategy} (round robin,
 * smooth weighted round robin, least outstanding leases, power of two choices, consistent hash), skips endpoints that
 * fail health checks or return errors (outlier ejection) and brings them back when they recover; a lease from the
 * balancer is a lease from that endpoint's pool.
 *
 * <p>Consistent hashing comes from the {@code hashing} module ({@link io.distkit.hashing.LocatorConfig}):
 * {@code distkit-pool} depends on {@code distkit-hashing}; nothing in {@code hashing} depends on pools. Endpoint
 * health is core's {@link io.distkit.core.session.HealthTracker}.
 */
@NullMarked
package io.distkit.pool.balance;

import org.jspecify.annotations.NullMarked;
