package io.distkit.locks;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a lock is held: a fixed lease that ends at its time to live unless released or
 * {@linkplain LockHandle#extend(Duration) extended} before, or a lease renewed automatically while the lock is held.
 *
 * <pre>{@code
 * LockLease.fixed(Duration.ofSeconds(30));   // released, extended, or gone after 30 s
 * LockLease.renewed(Duration.ofSeconds(10)); // renewed until released; lost only if renewal fails
 * }</pre>
 *
 * <p>In one JVM ({@link io.distkit.locks.local.LocalLockService}) a renewed lease cannot fail to renew: it lasts
 * until released. A holder that may pause longer than its lease (a GC, a stalled VM) must still check the
 * {@linkplain LockHandle#fencingToken() fencing token} where it writes: see {@link FencedResource}.
 *
 * @param ttl how long the lease lasts without renewal; at least 1 ms
 * @param renewed whether the lease is renewed automatically until the lock is released
 */
public record LockLease(Duration ttl, boolean renewed) {

  /**
   * Checks the values.
   *
   * @param ttl at least 1 ms
   * @param renewed any
   */
  public LockLease {
    Objects.requireNonNull(ttl, "ttl");
    if (Require.saturatedNanos(ttl) < 1_000_000L) {
      throw new IllegalArgumentException("ttl (" + ttl + ") must be at least 1 ms");
    }
  }

  /**
   * A lease that ends {@code ttl} after the lock was granted, unless released or extended before.
   *
   * @param ttl at least 1 ms
   * @return the lease
   */
  public static LockLease fixed(Duration ttl) {
    return new LockLease(ttl, false);
  }

  /**
   * A lease of {@code ttl}, renewed automatically while the lock is held.
   *
   * @param ttl how long the lock survives its holder's process once renewal stops; at least 1 ms
   * @return the lease
   */
  public static LockLease renewed(Duration ttl) {
    return new LockLease(ttl, true);
  }
}
