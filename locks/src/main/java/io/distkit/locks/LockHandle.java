package io.distkit.locks;

import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import java.time.Duration;
import java.util.Optional;

/**
 * One grant of a named lock: the holder's proof, owned by this object, never by a thread. Release it, extend it or
 * check it from any thread, a virtual thread or a callback; {@link #close()} releases it, so a handle works in
 * try-with-resources.
 *
 * <pre>{@code
 * try (LockHandle lock = locks.tryAcquire("invoice:42", Duration.ofSeconds(2), LockLease.fixed(Duration.ofSeconds(30)))
 *     .orElseThrow(() -> new IllegalStateException("busy"))) {
 *   store.write(lock.fencingToken(), invoice); // the store refuses tokens older than the newest it has seen
 * }
 * }</pre>
 *
 * <p>The handle is a {@link Lease}: {@link #isValid()} answers from the lease's local deadline with no backend
 * call, and {@link #whenLost} hears once if the lease runs out (or is taken) while held.
 */
public interface LockHandle extends Lease, AutoCloseable {

  /**
   * The lock's name.
   *
   * @return the name given to {@code tryAcquire}
   */
  String name();

  /**
   * The fencing token of this grant: it grows with every grant of the lock, across holders.
   *
   * @return the token
   */
  FencingToken fencingToken();

  /**
   * The fencing token, always present for a lock.
   *
   * @return {@link #fencingToken()}
   */
  @Override
  default Optional<FencingToken> token() {
    return Optional.of(fencingToken());
  }

  /**
   * The lease this lock was granted with.
   *
   * @return the lease
   */
  LockLease lease();

  /**
   * Sets a fixed lease to end {@code ttl} from now, if the lock is still held and valid. A renewed lease is renewed
   * anyway: for it this only says whether the lock is still held.
   *
   * @param ttl at least 1 ms
   * @return true when extended (or, for a renewed lease, still held); false when the lock was released, lost, or
   *     its lease had run out
   * @throws IllegalArgumentException when {@code ttl} is shorter than 1 ms
   */
  boolean extend(Duration ttl);

  /**
   * Asks to hear once if the lock is lost while held (its lease ran out, or it was taken). A listener added after
   * the loss hears at once; one added to a released handle never hears. Listeners run on the service's scheduler.
   *
   * @param listener what to call
   */
  void whenLost(Lease.LostListener listener);

  /** Releases the lock ({@link #release()}), ignoring whether it was still held. */
  @Override
  void close();
}
