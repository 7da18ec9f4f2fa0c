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
import io.distkit.locks.LockStats;
import io.distkit.locks.internal.EngineLockService;
import io.distkit.locks.internal.LockEvents;
import io.distkit.locks.internal.LockKind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
final class LocalLocks extends EngineLockService {

  private final Clock clock;
  private final LockEvents events;
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";

  private final ReentrantLock mutex = new ReentrantLock();
  /** Every name that is held or waited for. Guarded by {@link #mutex}. */
  private final Map<Named, Entry> locks = new HashMap<>();
  /** The last token granted, by any lock. Guarded by {@link #mutex}. */
  private @Nullable FencingToken lastToken;
  /** Guarded by {@link #mutex}. */
  private long grants;
  /** Guarded by {@link #mutex}. */
  private long held;
  /** Guarded by {@link #mutex}. */
  private boolean closed;


  LocalLocks(LockLease defaultLease, Clock clock, Scheduler scheduler, LockListener listener) {
    super(defaultLease, scheduler);
    this.clock = clock;
    this.events = new LockEvents(listener);
  }

  /** A name in its kind's namespace. */
  private record Named(String namespace, String name) {
    static Named of(LockKind kind, String name) {
      return new Named(kind.namespace(), name);
    }
  }

  /** A name that is held or waited for. */
  private static final class Entry {
    /** In grant order; an exclusive holder is alone. */
    final LinkedHashSet<Grant> holders = new LinkedHashSet<>();
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    boolean fits(LockKind kind) {
      return kind.fits(holders.size(), !holders.isEmpty() && holders.iterator().next().kind.exclusive());
    }
  }

  /** A caller waiting in line: completed with its grant, or with null when it gives up. */
  private static final class Waiter {
    final LockKind kind;
    final LockLease lease;
    final @Nullable String candidate;
    final CompletableFuture<@Nullable Grant> outcome = new CompletableFuture<>();
    Scheduler.@Nullable Task timeout;

    Waiter(LockKind kind, LockLease lease, @Nullable String candidate) {
      this.kind = kind;
      this.lease = lease;
      this.candidate = candidate;
    }
  }

  @Override
  public Optional<LockHandle> acquire(LockKind kind, String name, Duration wait, LockLease lease,
      @Nullable String candidate) throws InterruptedException {
    Named named = Named.of(kind, name);
    long start = clock.nanoTime();
    long waitNanos = Require.saturatedNanos(wait);
    Waiter waiter = null;
    Grant grant;
    mutex.lock();
    try {
      checkOpen();
      Entry entry = locks.computeIfAbsent(named, n -> new Entry());
      expireIfDue(named, entry, start);
      grant = entry.waiters.isEmpty() && entry.fits(kind) ? grant(named, entry, kind, lease, candidate, start) : null;
      if (grant == null && waitNanos > 0) {
        Waiter line = new Waiter(kind, lease, candidate);
        entry.waiters.add(line);
        line.timeout = scheduler().schedule(() -> giveUp(named, line), waitNanos, TimeUnit.NANOSECONDS);
        waiter = line;
      } else if (grant == null) {
        dropIfUnused(named, entry);
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
      abandon(named, waiter);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a waiter's outcome failed", e.getCause()); // never completed exceptionally
    }
    return outcome(name, grant, start, true);
  }

  /** Counts and reports a caller's outcome, outside the mutex. */
  private Optional<LockHandle> outcome(String name, @Nullable Grant grant, long start, boolean waited) {
    long now = clock.nanoTime();
    long waitedNanos = Math.max(0, now - start);
    if (grant == null) {
      events.notAcquired(name, waitedNanos);
      return Optional.empty();
    }
    // a waiter's grant was made by the hand-off (a release or an expiry) that completed its wait
    events.acquired(name, grant.token, waitedNanos, waited ? Math.max(0, now - grant.grantedAtNanos) : -1);
    return Optional.of(grant);
  }

  /** Under the mutex. */
  private Grant grant(Named named, Entry entry, LockKind kind, LockLease lease, @Nullable String candidate,
      long now) {
    FencingToken token = FencingToken.next(lastToken, Math.multiplyExact(clock.epochMillis(), 1000L));
    lastToken = token;
    Grant grant = new Grant(named, kind, idPrefix + ++grants, token, lease, candidate, now);
    entry.holders.add(grant);
    held++;
    if (!lease.renewed()) {
      grant.scheduleExpiry(now);
    }
    return grant;
  }

  /** The scheduler's timeout of a waiter: it leaves the line unless it was served first. */
  private void giveUp(Named named, Waiter waiter) {
    mutex.lock();
    try {
      Entry entry = locks.get(named);
      if (entry != null && entry.waiters.remove(waiter)) {
        waiter.outcome.complete(null);
        handOff(named, entry, clock.nanoTime()); // those behind it may fit now (readers behind a writer)
      }
    } finally {
      mutex.unlock();
    }
  }

  /** An interrupted waiter leaves the line; a grant that reached it meanwhile goes to the next in line. */
  private void abandon(Named named, Waiter waiter) {
    Grant grant = null;
    mutex.lock();
    try {
      Entry entry = locks.get(named);
      if (entry != null && entry.waiters.remove(waiter)) {
        cancel(waiter.timeout);
        waiter.outcome.complete(null);
        handOff(named, entry, clock.nanoTime());
      } else {
        grant = waiter.outcome.getNow(null);
      }
    } finally {
      mutex.unlock();
    }
    if (grant != null) { // it was granted, then given straight back
      events.acquired(named.name(), grant.token, 0, Math.max(0, clock.nanoTime() - grant.grantedAtNanos));
      grant.release();
    }
  }

  /** Holders whose fixed leases have run out lose their grants, and waiters that fit get them. Under the mutex. */
  private void expireIfDue(Named named, Entry entry, long now) {
    List<Grant> expired = null;
    for (Grant holder : entry.holders) {
      if (holder.expiredAt(now)) {
        expired = expired == null ? new ArrayList<>(1) : expired;
        expired.add(holder);
      }
    }
    if (expired != null) {
      expired.forEach(holder -> holder.lose(Lease.LostReason.EXPIRED));
      handOff(named, entry, now);
    }
  }

  /**
   * Gives the name to the waiters at the head of the line while they fit (one writer, or every reader up to the
   * next writer), or drops the entry when nobody holds or waits. Under the mutex.
   */
  private void handOff(Named named, Entry entry, long now) {
    for (Waiter next = entry.waiters.peek(); next != null; next = entry.waiters.peek()) {
      if (next.outcome.isDone()) {
        entry.waiters.poll();
      } else if (entry.fits(next.kind)) {
        entry.waiters.poll();
        cancel(next.timeout);
        next.outcome.complete(grant(named, entry, next.kind, next.lease, next.candidate, now));
      } else {
        return;
      }
    }
    dropIfUnused(named, entry);
  }

  private void dropIfUnused(Named named, Entry entry) {
    if (entry.holders.isEmpty() && entry.waiters.isEmpty()) {
      locks.remove(named, entry);
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
  public Inspection inspect(LockKind kind, String name) {
    mutex.lock();
    try {
      Named named = Named.of(kind, name);
      Entry entry = locks.get(named);
      if (entry == null) {
        return new Inspection(LockInfo.free(name, 0), null);
      }
      long now = clock.nanoTime();
      expireIfDue(named, entry, now);
      int waiting = (int) entry.waiters.stream().filter(w -> !w.outcome.isDone()).count();
      if (entry.holders.isEmpty()) {
        return new Inspection(LockInfo.free(name, waiting), null);
      }
      Grant newest = entry.holders.stream().max(Comparator.comparing(g -> g.token)).orElseThrow();
      Grant first = entry.holders.stream().min(Comparator.comparingLong(g -> g.remainingLeaseNanos(now)))
          .orElseThrow();
      boolean exclusive = newest.kind.exclusive();
      return new Inspection(new LockInfo(name, newest.token, Duration.ofNanos(first.remainingLeaseNanos(now)),
          first.lease.renewed(), waiting, entry.holders.size(), exclusive), exclusive ? newest.candidate : null);
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
    return events.stats(heldNow, 0, 0);
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
        for (Grant holder : new ArrayList<>(entry.holders)) {
          holder.end(Lease.State.RELEASED, null);
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
    final Named named;
    final String name;
    final LockKind kind;
    final @Nullable String candidate;
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

    Grant(Named named, LockKind kind, String id, FencingToken token, LockLease lease, @Nullable String candidate,
        long now) {
      this.named = named;
      this.name = named.name();
      this.kind = kind;
      this.candidate = candidate;
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
      expiry = scheduler().schedule(this::expireNow, Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
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
          Entry entry = locks.get(named);
          lose(Lease.LostReason.EXPIRED);
          if (entry != null) {
            handOff(named, entry, now);
          }
        } else {
          scheduleExpiry(now); // the scheduler ran early by the clock, or the lease was extended
        }
      } finally {
        mutex.unlock();
      }
    }

    /** How long the lease lasts without renewal, at {@code now}. Under the mutex. */
    long remainingLeaseNanos(long now) {
      return lease.renewed() ? Require.saturatedNanos(lease.ttl()) : Math.max(0, deadlineNanos - now);
    }

    /** Under the mutex. */
    boolean expiredAt(long now) {
      return state == State.HELD && !lease.renewed() && now - deadlineNanos >= 0;
    }

    /** Loses the lock and tells whoever listens, on the scheduler(). Under the mutex. */
    void lose(Lease.LostReason reason) {
      end(State.LOST, reason);
      for (Lease.LostListener l : lostListeners) {
        notifyLost(l, reason);
      }
      lostListeners.clear();
      scheduler().execute(() -> events.lost(name, token, reason));
    }

    /** Under the mutex. */
    void end(State end, Lease.@Nullable LostReason reason) {
      state = end;
      lostReason = reason;
      cancel(expiry);
      held--;
      Entry entry = locks.get(named);
      if (entry != null) {
        entry.holders.remove(this);
      }
    }

    private void notifyLost(Lease.LostListener l, Lease.LostReason reason) {
      scheduler().execute(() -> Listeners.notify(l, "onLost", x -> x.onLost(this, reason)));
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
        Entry entry = locks.get(named);
        if (entry != null) {
          expireIfDue(named, entry, now);
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
        Entry entry = locks.get(named);
        if (entry != null) {
          expireIfDue(named, entry, now); // a lease that ran out is lost, not released
        }
        if (state != State.HELD) {
          return false;
        }
        end(State.RELEASED, null);
        heldNanos = now - grantedAtNanos;
        if (entry != null) {
          handOff(named, entry, now);
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
