package io.distkit.pool.balance;

/**
 * One endpoint's state and counts, as a {@link LoadBalancer} sees them.
 *
 * @param endpoint its id
 * @param healthy whether it is in rotation (not ejected)
 * @param outstanding leases out now
 * @param picks times it was picked
 * @param failures failures recorded (reported by leases, or failed health checks)
 * @param ejections times it was taken out of rotation
 */
public record EndpointStats(String endpoint, boolean healthy, int outstanding, long picks, long failures,
    long ejections) {}
