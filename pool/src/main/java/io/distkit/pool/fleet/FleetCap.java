package io.distkit.pool.fleet;

import io.distkit.core.internal.Require;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockLease;
import io.distkit.pool.object.PooledObjectFactory;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * At most {@link FencedSemaphore#permits()} objects of a resource alive across every JVM that caps its pools with
 * the same semaphore: each object is created only under a permit, held (renewed) for the object's whole life and
 * given back when the object is destroyed.
 *
 * <pre>{@code
 * LockService locks = RedisLockService.builder(RedisBackend.create(jedis)).build();
 * FleetCap cap = FleetCap.of(locks.semaphore("orders-db", 200));          // 200 connections for the whole fleet
 * ObjectPool<Connection> pool = LocalObjectPool.builder("orders-db", cap.limit(connections))
 *     .maxSize(20).build();                                                 // and at most 20 in this JVM
 * }</pre>
 *
 * <h2>What it costs and guarantees</h2>
 * <ul>
 *   <li>Borrowing and giving back an object cost nothing in Redis: only creation (one permit request, after the
 *       pool decided it needs an object) and destruction (one release) talk to it; renewals of all the JVM's permits
 *       are batched by the lock service.
 *   <li>When every permit is held, creation fails with {@link FleetCapReachedException}: the pool tries again after
 *       its creation backoff (10 ms doubling to 1 s by default) while callers wait, and a caller that times out is
 *       told the cap is reached.
 *   <li>A JVM that dies (even by {@code kill -9}) holds its permits until their lease runs out: they come back
 *       within the lease (default {@value #DEFAULT_LEASE_SECONDS} s) and one re-check of the lock service. Leases run
 *       on the Redis server's clock, so JVM clocks may disagree.
 *   <li>A permit lost while its object lives (Redis unreachable for longer than the lease, so its renewals failed)
 *       makes the object fail its next validation (on a borrow after {@code validateAfterIdle}, or by housekeeping),
 *       which destroys it. Until then, the fleet may briefly hold one object more than the cap per lost permit.
 *   <li>Redis down when an object is needed: the permit request fails with the lock service's failure, the creation
 *       fails and is retried after the backoff; objects that exist keep being lent.
 * </ul>
 * Immutable and thread-safe; one cap may limit several factories (they share its permits).
 */
public final class FleetCap {

  /** The default lease of a permit, in seconds: 15, renewed while the object lives. */
  public static final int DEFAULT_LEASE_SECONDS = 15;

  private final FencedSemaphore permits;
  private final LockLease lease;

  private FleetCap(FencedSemaphore permits, LockLease lease) {
    this.permits = permits;
    this.lease = lease;
  }

  /**
   * A cap of {@code permits.permits()} objects, each under a permit with a lease of {@value #DEFAULT_LEASE_SECONDS} s,
   * renewed while the object lives.
   *
   * @param permits the semaphore: from a Redis lock service for a fleet, a local one for a JVM
   * @return the cap
   */
  public static FleetCap of(FencedSemaphore permits) {
    return new FleetCap(Objects.requireNonNull(permits, "permits"),
        LockLease.renewed(Duration.ofSeconds(DEFAULT_LEASE_SECONDS)));
  }

  /**
   * The same cap with another permit lease: how long a dead JVM's permits stay held.
   *
   * @param ttl at least 1 ms; renewed while the object lives
   * @return a new cap
   */
  public FleetCap withLease(Duration ttl) {
    Require.positiveNanos(ttl, "lease");
    return new FleetCap(permits, LockLease.renewed(ttl));
  }

  /**
   * The number of objects the fleet may hold.
   *
   * @return the semaphore's permits
   */
  public int limit() {
    return permits.permits();
  }

  /**
   * Wraps a factory so that every object it creates holds a permit of this cap for its whole life.
   *
   * @param factory the factory of the objects
   * @param <T> the type of the objects
   * @return a factory to give the pool
   */
  public <T> PooledObjectFactory<T> limit(PooledObjectFactory<T> factory) {
    return new Capped<>(Objects.requireNonNull(factory, "factory"));
  }

  @Override
  public String toString() {
    return "FleetCap[" + permits.name() + ", " + permits.permits() + " permits, " + lease + "]";
  }

  /** A factory under the cap: the permit of each object, by identity. */
  private final class Capped<T> implements PooledObjectFactory<T> {
    private final PooledObjectFactory<T> factory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock. */
    private final Map<T, LockHandle> held = new IdentityHashMap<>();

    Capped(PooledObjectFactory<T> factory) {
      this.factory = factory;
    }

    @Override
    public T create() throws Exception {
      Optional<LockHandle> granted = permits.tryAcquire(Duration.ZERO, lease);
      if (granted.isEmpty()) {
        throw new FleetCapReachedException("fleet cap " + permits.name() + ": all " + permits.permits()
            + " permits are held");
      }
      LockHandle permit = granted.get();
      T object;
      try {
        object = factory.create();
      } catch (Exception | Error e) {
        permit.close();
        throw e;
      }
      lock.lock();
      try {
        held.put(object, permit);
      } finally {
        lock.unlock();
      }
      return object;
    }

    private @Nullable LockHandle permitOf(T object) {
      lock.lock();
      try {
        return held.get(object);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean validate(T object) throws Exception {
      LockHandle permit = permitOf(object);
      return permit != null && permit.isValid() && factory.validate(object);
    }

    @Override
    public void destroy(T object) throws Exception {
      try {
        factory.destroy(object);
      } finally {
        LockHandle permit;
        lock.lock();
        try {
          permit = held.remove(object);
        } finally {
          lock.unlock();
        }
        if (permit != null) {
          permit.close();
        }
      }
    }
  }
}
