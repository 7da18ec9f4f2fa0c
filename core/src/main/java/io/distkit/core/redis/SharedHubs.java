package io.distkit.core.redis;

import io.distkit.core.Clock;
import io.distkit.core.session.Scheduler;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.UnifiedJedis;

/**
 * The hubs behind {@link RedisSubscriptions#shared(RedisBackend, Scheduler, Clock)}: one per client and scheduler
 * (both by identity), counted by their open shares, closed and forgotten with the last.
 *
 * <p>Lock-free: a hub is built (which does no I/O) before it is offered to the map, and a race lost to another
 * thread closes the spare. A hub whose count reached zero is never handed out again, even if it is still in the
 * map for a moment, so a share never gets a hub that is closing.
 */
final class SharedHubs {

  /** The name of shared hubs in logs. */
  static final String NAME = "shared";

  private static final ConcurrentMap<Key, Entry> HUBS = new ConcurrentHashMap<>();

  private SharedHubs() {}

  /** A client and a scheduler, compared by identity whatever their {@code equals} says. */
  private static final class Key {
    private final UnifiedJedis client;
    private final Scheduler scheduler;

    Key(UnifiedJedis client, Scheduler scheduler) {
      this.client = client;
      this.scheduler = scheduler;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Key key && key.client == client && key.scheduler == scheduler;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(client) + System.identityHashCode(scheduler);
    }
  }

  /** A hub and its open shares; zero shares means retired for good. */
  private static final class Entry {
    final RedisSubscriptions hub;
    private final AtomicInteger shares = new AtomicInteger(1);

    Entry(RedisSubscriptions hub) {
      this.hub = hub;
    }

    /** One more share, unless the hub is retired. */
    boolean tryAcquire() {
      for (int n = shares.get(); n > 0; n = shares.get()) {
        if (shares.compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }

    /** One share fewer; true for the last. */
    boolean release() {
      return shares.decrementAndGet() == 0;
    }
  }

  static RedisSubscriptions.Share acquire(RedisBackend backend, Scheduler scheduler, Clock clock) {
    Key key = new Key(backend.client(), scheduler);
    Entry spare = null;
    while (true) {
      Entry current = HUBS.get(key);
      if (current != null && current.tryAcquire()) {
        if (spare != null) {
          spare.hub.close(); // never subscribed: closing it only cancels its keep-alive
        }
        return share(key, current, backend);
      }
      if (spare == null) {
        spare = new Entry(RedisSubscriptions.builder(backend).scheduler(scheduler).clock(clock).name(NAME).build());
      }
      boolean placed = current == null ? HUBS.putIfAbsent(key, spare) == null : HUBS.replace(key, current, spare);
      if (placed) {
        return share(key, spare, backend);
      }
    }
  }

  private static RedisSubscriptions.Share share(Key key, Entry entry, RedisBackend backend) {
    return new RedisSubscriptions.Share(entry.hub, backend, () -> {
      if (entry.release()) {
        HUBS.remove(key, entry);
        entry.hub.close();
      }
    });
  }

  /** How many shared hubs of a client the registry holds, for tests. */
  static long hubsOf(UnifiedJedis client) {
    return HUBS.keySet().stream().filter(key -> key.client == client).count();
  }
}
