package io.distkit.hashing.redis;

import io.distkit.core.Clock;
import io.distkit.core.redis.RedisBackend;
import io.distkit.core.redis.RedisSubscriptions;
import io.distkit.core.session.Scheduler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pub/sub hubs of memberships built without one of the caller's: one {@link RedisSubscriptions} (so one
 * pub/sub connection) per {@link RedisBackend} and {@link Scheduler}, shared by every membership built on that
 * pair, closed when the last of them closes. Thread-safe; the lock is never held while a hub connects or
 * disconnects.
 */
final class SharedSubscriptions {

  /** Identity of the backend and the scheduler: neither overrides {@code equals}. */
  private record Key(RedisBackend backend, Scheduler scheduler) {}

  private static final class Entry {
    final RedisSubscriptions hub;
    int users;

    Entry(RedisSubscriptions hub) {
      this.hub = hub;
    }
  }

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final Map<Key, Entry> HUBS = new HashMap<>();

  private SharedSubscriptions() {}

  /** One membership's use of a hub. */
  static final class Use implements AutoCloseable {
    private final RedisSubscriptions hub;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Use(RedisSubscriptions hub, Runnable onClose) {
      this.hub = hub;
      this.onClose = onClose;
    }

    RedisSubscriptions hub() {
      return hub;
    }

    /** Ends this use; the last use of a shared hub closes it. Idempotent. */
    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        onClose.run();
      }
    }
  }

  /**
   * A hub the caller owns: this use never closes it.
   *
   * @param hub the caller's hub
   * @return a use of it
   */
  static Use given(RedisSubscriptions hub) {
    return new Use(hub, () -> {});
  }

  /**
   * The shared hub of a backend and scheduler, built on first use with the scheduler and clock.
   *
   * @param backend the membership's backend
   * @param scheduler the membership's scheduler (the hub's reconnects and keep-alives run there)
   * @param clock the membership's clock (the hub's keep-alives are timed by it)
   * @return a use to close when the membership closes
   */
  static Use shared(RedisBackend backend, Scheduler scheduler, Clock clock) {
    Key key = new Key(backend, scheduler);
    Entry entry;
    LOCK.lock();
    try {
      entry = HUBS.computeIfAbsent(key, k -> new Entry(RedisSubscriptions.builder(backend).scheduler(scheduler)
          .clock(clock).name("hashing").build()));
      entry.users++;
    } finally {
      LOCK.unlock();
    }
    Entry used = entry;
    return new Use(used.hub, () -> release(key, used));
  }

  private static void release(Key key, Entry entry) {
    boolean last;
    LOCK.lock();
    try {
      last = --entry.users == 0 && HUBS.remove(key, entry);
    } finally {
      LOCK.unlock();
    }
    if (last) {
      entry.hub.close();
    }
  }
}
