package io.distkit.pool.object;

import io.distkit.core.DistkitException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * No object could be lent within the wait. The message says what the pool looked like: objects in use of the
 * maximum, callers waiting, creations under way, the longest holders (thread and time held) and the factory's last
 * failure if creation is failing. {@link ObjectPool#tryAcquire} answers the same situation with an empty result
 * instead.
 */
public final class PoolTimeoutException extends DistkitException {

  private static final long serialVersionUID = 1L;

  /**
   * A current holder of one of the pool's objects.
   *
   * @param thread the name of the thread that acquired it
   * @param heldFor how long it has held it
   */
  public record Holder(String thread, Duration heldFor) {}

  private final transient List<Holder> holders;

  /**
   * For pools.
   *
   * @param message the whole message
   * @param holders the longest holders, longest first
   * @param lastCreationFailure the factory's last failure, when creation is failing
   */
  public PoolTimeoutException(String message, List<Holder> holders, @Nullable Throwable lastCreationFailure) {
    super(message, lastCreationFailure);
    this.holders = List.copyOf(holders);
  }

  /**
   * The longest holders at the time of the timeout, longest first (at most a few).
   *
   * @return the holders
   */
  public List<Holder> holders() {
    return holders;
  }
}
