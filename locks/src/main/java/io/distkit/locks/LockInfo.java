package io.distkit.locks;

import io.distkit.core.session.FencingToken;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A lock, semaphore or read-write lock as {@code inspect} found it.
 *
 * @param name the name
 * @param holderToken the newest fencing token granted to a holder that still holds, or null when nobody holds
 * @param remainingLease how long the lease that ends first lasts without renewal ({@link Duration#ZERO} when
 *     nobody holds)
 * @param renewed whether that lease is renewed automatically while held (known for holders in any JVM)
 * @param waiters how many callers wait
 * @param holders how many hold it now (a semaphore's permits taken, a read-write lock's readers; a lock: 0 or 1)
 * @param exclusive whether the one holder holds alone (a lock, a writer, a leader)
 */
public record LockInfo(String name, @Nullable FencingToken holderToken, Duration remainingLease, boolean renewed,
    int waiters, int holders, boolean exclusive) {

  /**
   * A name nobody holds.
   *
   * @param name the name
   * @param waiters how many wait for it
   * @return the info
   */
  public static LockInfo free(String name, int waiters) {
    return new LockInfo(name, null, Duration.ZERO, false, waiters, 0, false);
  }

  /**
   * Whether someone holds it.
   *
   * @return true when held
   */
  public boolean held() {
    return holderToken != null;
  }

  /**
   * The newest holder's token, if held.
   *
   * @return the token, or empty when free
   */
  public Optional<FencingToken> holder() {
    return Optional.ofNullable(holderToken);
  }
}
