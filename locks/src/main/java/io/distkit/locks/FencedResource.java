package io.distkit.locks;

import io.distkit.core.internal.Listeners;
import io.distkit.core.session.FencingToken;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The check a resource makes so that a lock gives mutual exclusion even when a holder pauses past its lease: accept
 * a write only with a fencing token at least as new as the newest one seen, so a holder that lost its lock and
 * writes late is refused. Keep one per resource, where the resource is (in the process that owns the data, or as
 * the same comparison inside a database's conditional update).
 *
 * <pre>{@code
 * FencedResource invoices = new FencedResource();
 * boolean written = invoices.write(lock.fencingToken(), () -> table.put(id, invoice));
 * }</pre>
 *
 * <p>No lock on a remote store, Redis included, is safe without such a check: a process can pause (a GC, a VM
 * migration, SIGSTOP) after checking its lease and before writing, for longer than the lease. distkit does not
 * offer Redlock as a fix for that: a majority of Redis servers does not stop a paused holder either.
 *
 * <p>Thread-safe: the comparison and the write run under one lock, so two writers never interleave. A token is
 * remembered once admitted, even if its write then throws: an older holder stays refused either way.
 */
public final class FencedResource {

  private final ReentrantLock lock = new ReentrantLock();
  private final LockListener listener;
  private final LongAdder rejected = new LongAdder();
  private @Nullable FencingToken newest;

  /** A resource that tells nobody of its refusals (count them with {@link #rejected()}). */
  public FencedResource() {
    this(LockListener.NONE);
  }

  /**
   * A resource that tells {@code listener} of each refused write ({@link LockListener#onFencingRejected}), on the
   * refused writer's thread.
   *
   * @param listener what to tell
   */
  public FencedResource(LockListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Runs {@code write} if {@code token} is at least the newest token seen, and remembers it.
   *
   * @param token the writer's fencing token
   * @param write the write
   * @return true when written; false when refused (a newer token was seen), in which case {@code write} did not run
   */
  public boolean write(FencingToken token, Runnable write) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(write, "write");
    FencingToken refusedBy;
    lock.lock();
    try {
      refusedBy = newest;
      if (refusedBy == null || !refusedBy.isNewerThan(token)) {
        newest = token;
        write.run();
        return true;
      }
      rejected.increment();
    } finally {
      lock.unlock();
    }
    Listeners.notify(listener, "onFencingRejected", l -> l.onFencingRejected(token, refusedBy));
    return false;
  }

  /**
   * The newest token accepted so far.
   *
   * @return the token, or null before the first write
   */
  public @Nullable FencingToken newest() {
    lock.lock();
    try {
      return newest;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many writes were refused.
   *
   * @return the count
   */
  public long rejected() {
    return rejected.sum();
  }
}
