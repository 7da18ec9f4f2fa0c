package io.distkit.locks.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Lease;
import io.distkit.core.session.Scheduler;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockInfo;
import io.distkit.locks.LockLease;
import io.distkit.locks.LockListener;
import io.distkit.locks.LockService;
import io.distkit.locks.LockStats;
import io.distkit.locks.internal.LockEvents;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/** {@link LocalLockService}'s service: see there. */
final class LocalLocks implements LockService {

  private final LockLease defaultLease;
  private final Clock clock;
  private final Scheduler scheduler;
  private final LockEvents events;
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

  private final ReentrantLock mutex = new ReentrantLock();
  /** Every lock that is held or waited for. Guarded by {@link #mutex}. */
  private final Map<String, Entry> locks = new HashMap<>();
  /** The last token granted, by any lock. Guarded by {@link #mutex}. */
  private @Nullable FencingToken lastToken;
  /** Guarded by {@link #mutex}. */
  private long grants;
  /** Guarded by {@link #mutex}. */
  private long held;
  /** Guarded by {@link #mutex}. */
  private boolean closed;


  LocalLocks(LockLease defaultLease, Clock clock, Scheduler scheduler, LockListener listener) {
    this.defaultLease = defaultLease;
    this.clock = clock;
    this.scheduler = scheduler;
    this.events = new LockEvents(listener);
  }

  /** A lock that is held or waited for. */
  private static final class Entry {
    @Nullable Grant holder;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  }

  /** A caller waiting in line: completed with its grant, or with null when it gives up. */
  private static final class Waiter {
    final LockLease lease;
    final CompletableFuture<@Nullable Grant> outcome = new CompletableFuture<>();
    Scheduler.@Nullable Task timeout;

    Waiter(LockLease lease) {
      this.lease = lease;
    }
  }

  @Override
  public Optional<LockHandle> tryAcquire(String name) {
    Require.nonBlank(name, "name");
    long start = clock.nanoTime();
    Grant grant;
    mutex.lock();
    try {
      grant = grantIfFree(name, defaultLease, start);
    } finally {
      mutex.unlock();
    }
    return outcome(name, grant, start, false);
  }

  @Override
  public Optional<LockHandle> tryAcquire(String name, Duration wait, LockLease lease) throws InterruptedException {
    Require.nonBlank(name, "name");
    Objects.requireNonNull(wait, "wait");
    Objects.requireNonNull(lease, "lease");
    long start = clock.nanoTime();
    long waitNanos = Require.saturatedNanos(wait);
    Waiter waiter = null;
    Grant grant;
    mutex.lock();
    try {
      grant = grantIfFree(name, lease, start);
      if (grant == null && waitNanos > 0) {
        Waiter line = new Waiter(lease);
        locks.get(name).waiters.add(line);
        line.timeout = scheduler.schedule(() -> giveUp(name, line), waitNanos, TimeUnit.NANOSECONDS);
        waiter = line;
      }
    } finally {
      mutex.unlock();
    }
    if (waiter == null) {
      return outcome(name, grant, start, false);
    }
    try {
      grant = waiter.outcome.get();
    } catch (InterruptedException e) {
      abandon(name, waiter);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a waiter's outcome failed", e.getCause()); // never completed exceptionally
    }
    return outcome(name, grant, start, true);
  }

  /** Counts and reports a caller's outcome, outside the mutex. */
  private Optional<LockHandle> outcome(String name, @Nullable Grant grant, long start, boolean waited) {
    long waitedNanos = Math.max(0, clock.nanoTime() - start);
    if (grant == null) {
      events.notAcquired(name, waitedNanos);
      return Optional.empty();
    }
    events.acquired(name, grant.token, waitedNanos, waited);
    return Optional.of(grant);
  }

  /** Grants the lock if nobody holds it or waits for it; keeps an entry either way. Under the mutex. */
  private @Nullable Grant grantIfFree(String name, LockLease lease, long now) {
    checkOpen();
    Entry entry = locks.computeIfAbsent(name, n -> new Entry());
    expireIfDue(name, entry, now);
    if (entry.holder == null && entry.waiters.isEmpty()) {
      return grant(name, entry, lease, now);
    }
    return null;
  }

  /** Under the mutex. */
  private Grant grant(String name, Entry entry, LockLease lease, long now) {
    FencingToken token = FencingToken.next(lastToken, Math.multiplyExact(clock.epochMillis(), 1000L));
    lastToken = token;
    Grant grant = new Grant(name, idPrefix + ++grants, token, lease, now);
    entry.holder = grant;
    held++;
    if (!lease.renewed()) {
      grant.scheduleExpiry(now);
    }
    return grant;
  }

  /** The scheduler's timeout of a waiter: it leaves the line unless it was served first. */
  private void giveUp(String name, Waiter waiter) {
    mutex.lock();
    try {
      Entry entry = locks.get(name);
      if (entry != null && entry.waiters.remove(waiter)) {
        waiter.outcome.complete(null);
        dropIfUnused(name, entry);
      }
    } finally {
      mutex.unlock();
    }
  }

  /** An interrupted waiter leaves the line; a grant that reached it meanwhile goes to the next in line. */
  private void abandon(String name, Waiter waiter) {
    Grant grant = null;
    mutex.lock();
    try {
      Entry entry = locks.get(name);
      if (entry != null && entry.waiters.remove(waiter)) {
        cancel(waiter.timeout);
        waiter.outcome.complete(null);
        dropIfUnused(name, entry);
      } else {
        grant = waiter.outcome.getNow(null);
      }
    } finally {
      mutex.unlock();
    }
    if (grant != null) { // it was granted, then given straight back
      events.acquired(name, grant.token, 0, true);
      grant.release();
    }
  }

  /** The holder's fixed lease has run out: it loses the lock, and the next waiter gets it. Under the mutex. */
  private void expireIfDue(String name, Entry entry, long now) {
    Grant holder = entry.holder;
    if (holder != null && holder.expiredAt(now)) {
      holder.lose(Lease.LostReason.EXPIRED);
      handOff(name, entry, now);
    }
  }

  /** Gives a free lock to the first waiter still waiting, or drops its entry. Under the mutex. */
  private void handOff(String name, Entry entry, long now) {
    for (Waiter next = entry.waiters.poll(); next != null; next = entry.waiters.poll()) {
      if (!next.outcome.isDone()) {
        cancel(next.timeout);
        next.outcome.complete(grant(name, entry, next.lease, now));
        return;
      }
    }
    dropIfUnused(name, entry);
  }

  private void dropIfUnused(String name, Entry entry) {
    if (entry.holder == null && entry.waiters.isEmpty()) {
      locks.remove(name, entry);
    }
  }

  private static void cancel(Scheduler.@Nullable Task task) {
    if (task != null) {
      task.cancel();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this lock service is closed");
    }
  }

  @Override
  public LockInfo inspect(String name) {
    Require.nonBlank(name, "name");
    mutex.lock();
    try {
      Entry entry = locks.get(name);
      if (entry == null) {
        return new LockInfo(name, null, Duration.ZERO, false, 0);
      }
      long now = clock.nanoTime();
      expireIfDue(name, entry, now);
      Grant holder = entry.holder;
      int waiting = (int) entry.waiters.stream().filter(w -> !w.outcome.isDone()).count();
      return holder == null ? new LockInfo(name, null, Duration.ZERO, false, waiting)
          : new LockInfo(name, holder.token, Duration.ofNanos(holder.lease.renewed()
              ? Require.saturatedNanos(holder.lease.ttl()) : Math.max(0, holder.deadlineNanos - now)),
              holder.lease.renewed(), waiting);
    } finally {
      mutex.unlock();
    }
  }

  @Override
  public LockStats stats() {
    long heldNow;
    mutex.lock();
    try {
      heldNow = held;
    } finally {
      mutex.unlock();
    }
    return events.stats(heldNow);
  }

  @Override
  public void close() {
    mutex.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Entry entry : locks.values()) {
        for (Waiter waiter : entry.waiters) {
          cancel(waiter.timeout);
          waiter.outcome.complete(null);
        }
        if (entry.holder != null) {
          entry.holder.end(Lease.State.RELEASED, null);
        }
      }
      locks.clear();
    } finally {
      mutex.unlock();
    }
  }

  @Override
  public String toString() {
    return "LocalLockService" + stats();
  }

  /** One grant: the handle its holder gets. */
  private final class Grant implements LockHandle {
    final String name;
    final String id;
    final FencingToken token;
    final LockLease lease;
    final long grantedAtNanos;
    /** Guarded by the mutex, like everything below. */
    State state = State.HELD;
    Lease.@Nullable LostReason lostReason;
    /** When the lease ends and the lock goes to the next waiter. */
    long deadlineNanos;
    /** The holder's conservative local deadline ({@link Lease#localDeadline}), a little before. */
    long validUntilNanos;
    Scheduler.@Nullable Task expiry;
    final List<Lease.LostListener> lostListeners = new ArrayList<>(1);

    Grant(String name, String id, FencingToken token, LockLease lease, long now) {
      this.name = name;
      this.id = id;
      this.token = token;
      this.lease = lease;
      this.grantedAtNanos = now;
      setDeadline(now, Require.saturatedNanos(lease.ttl()));
    }

    /** Under the mutex (or in the constructor). */
    void setDeadline(long now, long ttlNanos) {
      deadlineNanos = now + ttlNanos;
      validUntilNanos = Lease.localDeadline(now, ttlNanos);
    }

    /** Under the mutex. */
    void scheduleExpiry(long now) {
      cancel(expiry);
      expiry = scheduler.schedule(this::expireNow, Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
    }

    /** The scheduled expiry: loses the lock if its deadline has passed (it may have been extended). */
    private void expireNow() {
      mutex.lock();
      try {
        if (state != State.HELD) {
          return;
        }
        long now = clock.nanoTime();
        if (expiredAt(now)) {
          Entry entry = locks.get(name);
          lose(Lease.LostReason.EXPIRED);
          if (entry != null) {
            handOff(name, entry, now);
          }
        } else {
          scheduleExpiry(now); // the scheduler ran early by the clock, or the lease was extended
        }
      } finally {
        mutex.unlock();
      }
    }

    /** Under the mutex. */
    boolean expiredAt(long now) {
      return state == State.HELD && !lease.renewed() && now - deadlineNanos >= 0;
    }

    /** Loses the lock and tells whoever listens, on the scheduler. Under the mutex. */
    void lose(Lease.LostReason reason) {
      end(State.LOST, reason);
      for (Lease.LostListener l : lostListeners) {
        notifyLost(l, reason);
      }
      lostListeners.clear();
      scheduler.execute(() -> events.lost(name, token, reason));
    }

    /** Under the mutex. */
    void end(State end, Lease.@Nullable LostReason reason) {
      state = end;
      lostReason = reason;
      cancel(expiry);
      held--;
      Entry entry = locks.get(name);
      if (entry != null && entry.holder == this) {
        entry.holder = null;
      }
    }

    private void notifyLost(Lease.LostListener l, Lease.LostReason reason) {
      scheduler.execute(() -> Listeners.notify(l, "onLost", x -> x.onLost(this, reason)));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public FencingToken fencingToken() {
      return token;
    }

    @Override
    public LockLease lease() {
      return lease;
    }

    @Override
    public boolean isValid() {
      mutex.lock();
      try {
        return state == State.HELD && (lease.renewed() || clock.nanoTime() - validUntilNanos < 0);
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public long remainingNanos() {
      mutex.lock();
      try {
        if (state != State.HELD) {
          return 0;
        }
        return lease.renewed() ? Lease.localDeadline(0, Require.saturatedNanos(lease.ttl()))
            : Math.max(0, validUntilNanos - clock.nanoTime());
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public State state() {
      mutex.lock();
      try {
        return state;
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public boolean extend(Duration ttl) {
      long ttlNanos = Require.positiveNanos(ttl, "ttl");
      if (ttlNanos < 1_000_000L) {
        throw new IllegalArgumentException("ttl (" + ttl + ") must be at least 1 ms");
      }
      mutex.lock();
      try {
        long now = clock.nanoTime();
        Entry entry = locks.get(name);
        if (entry != null) {
          expireIfDue(name, entry, now);
        }
        if (state != State.HELD) {
          return false;
        }
        if (!lease.renewed()) {
          setDeadline(now, ttlNanos);
          scheduleExpiry(now);
        }
        return true;
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public void whenLost(Lease.LostListener l) {
      Objects.requireNonNull(l, "listener");
      mutex.lock();
      try {
        if (state == State.HELD) {
          lostListeners.add(l);
        } else if (state == State.LOST) {
          notifyLost(l, Objects.requireNonNull(lostReason));
        }
      } finally {
        mutex.unlock();
      }
    }

    @Override
    public boolean release() {
      long heldNanos;
      mutex.lock();
      try {
        long now = clock.nanoTime();
        Entry entry = locks.get(name);
        if (entry != null) {
          expireIfDue(name, entry, now); // a lease that ran out is lost, not released
        }
        if (state != State.HELD) {
          return false;
        }
        end(State.RELEASED, null);
        heldNanos = now - grantedAtNanos;
        if (entry != null) {
          handOff(name, entry, now);
        }
      } finally {
        mutex.unlock();
      }
      events.released(name, token, heldNanos);
      return true;
    }

    @Override
    public void close() {
      release();
    }

    @Override
    public String toString() {
      return "LockHandle[" + name + ", " + token + ", " + state() + "]";
    }
  }
}
