package io.distkit.locks;

import io.distkit.core.session.FencingToken;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A lock as {@link LockService#inspect(String)} found it.
 *
 * @param name the lock's name
 * @param holderToken the fencing token of the grant that holds it, or null when free
 * @param remainingLease how long the holder's lease lasts without renewal ({@link Duration#ZERO} when free)
 * @param renewed whether the holder's lease is renewed automatically (a Redis service knows it for its own
 *     holders only: false for a holder in another JVM)
 * @param waiters how many callers wait for it
 */
public record LockInfo(String name, @Nullable FencingToken holderToken, Duration remainingLease, boolean renewed,
    int waiters) {

  /**
   * Whether someone holds the lock.
   *
   * @return true when held
   */
  public boolean held() {
    return holderToken != null;
  }

  /**
   * The holder's token, if the lock is held.
   *
   * @return the token, or empty when free
   */
  public Optional<FencingToken> holder() {
    return Optional.ofNullable(holderToken);
  }
}
