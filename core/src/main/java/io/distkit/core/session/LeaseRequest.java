package io.distkit.core.session;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to ask for when acquiring a lease: the resource, the holder's id, how long, how many holders the
 * resource allows, whether to renew automatically, and whether to hand out a fencing token.
 *
 * @param key the resource's lease key (a lease set, built with the primitive's {@code RedisKeys})
 * @param id the holder's lease id, unique among the resource's holders
 * @param ttl how long the lease lasts without renewal; at least 1 ms
 * @param maxHolders how many live leases the resource allows (1 for a lock, n for a semaphore)
 * @param renew whether the lease is renewed automatically until released
 * @param tokenKey where the resource's fencing tokens live (same hash tag as {@code key}), or null for no token
 */
public record LeaseRequest(String key, String id, Duration ttl, int maxHolders, boolean renew,
    @Nullable String tokenKey) {

  /**
   * Checks the values.
   *
   * @param key non-blank
   * @param id non-blank
   * @param ttl at least 1 ms
   * @param maxHolders at least 1
   * @param renew any
   * @param tokenKey null or non-blank
   */
  public LeaseRequest {
    Require.nonBlank(key, "key");
    Require.nonBlank(id, "id");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl (" + ttl + ") must be at least 1 ms");
    }
    Require.positive(maxHolders, "maxHolders");
    if (tokenKey != null) {
      Require.nonBlank(tokenKey, "tokenKey");
    }
  }

  /**
   * An exclusive lease (one holder), renewed automatically, without a token.
   *
   * @param key the resource's lease key
   * @param id the holder's id
   * @param ttl how long the lease lasts without renewal
   * @return the request
   */
  public static LeaseRequest of(String key, String id, Duration ttl) {
    return new LeaseRequest(key, id, ttl, 1, true, null);
  }

  /**
   * This request, for a resource that allows several holders.
   *
   * @param maxHolders at least 1
   * @return a new request
   */
  public LeaseRequest withMaxHolders(int maxHolders) {
    return new LeaseRequest(key, id, ttl, maxHolders, renew, tokenKey);
  }

  /**
   * This request, for a lease that is not renewed: it ends at its TTL unless released before.
   *
   * @return a new request
   */
  public LeaseRequest fixed() {
    return new LeaseRequest(key, id, ttl, maxHolders, false, tokenKey);
  }

  /**
   * This request, also handing out the resource's next fencing token in the same round trip.
   *
   * @param tokenKey the resource's token key, in the same hash slot as the lease key
   * @return a new request
   */
  public LeaseRequest withFencing(String tokenKey) {
    return new LeaseRequest(key, id, ttl, maxHolders, renew, tokenKey);
  }
}
