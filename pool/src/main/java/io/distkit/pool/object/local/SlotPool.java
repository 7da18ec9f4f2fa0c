package io.distkit.pool.object.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.PerThreadCounts;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Backoff;
import io.distkit.core.session.Scheduler;
import io.distkit.pool.object.DestroyReason;
import io.distkit.pool.object.LeakReport;
import io.distkit.pool.object.Lease;
import io.distkit.pool.object.ObjectPool;
import io.distkit.pool.object.PoolListener;
import io.distkit.pool.object.PoolStats;
import io.distkit.pool.object.PoolTimeoutException;
import io.distkit.pool.object.PooledObjectFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LocalObjectPool}'s pool: see there for the behaviour; this comment is about how.
 *
 * <p>Objects live in {@link Slot}s kept in an array that is copied on change (creation and destruction are rare,
 * borrowing is not). A borrower claims an idle slot by one compare-and-set on its word, scanning from an index
 * derived from its thread's id (so that threads tend to reuse their own slot and rarely collide; no
 * {@code ThreadLocal}, which virtual threads would make useless), and reads the clock once. Giving back is one
 * compare-and-set and no clock reading (see {@link #giveBack}). Nothing is allocated on either path but the lease
 * itself.
 *
 * <p>Callers that find nothing idle join a FIFO line of {@link Waiter}s and park. Whoever makes a slot available (a
 * holder giving back, a creation, a background check) hands it to the first waiter, borrowed under a new loan
 * number, without it going idle; it goes idle only when nobody waits. A slot that goes idle just as a caller joins
 * the line is found either by the caller's second scan or by the giver's second look at the line (both are
 * sequentially consistent accesses: one of the two sees the other).
 *
 * <p>Creation runs on the scheduler, at most {@code maxConcurrentCreates} at a time, only while callers wait (or
 * fewer than {@code minIdle} are idle) and more than the creations under way, so a burst of callers does not make
 * an object each. After a failure, creation pauses for the backoff, then tries again while objects are needed.
 */
final class SlotPool<T> implements ObjectPool<T> {

  private static final Logger log = LoggerFactory.getLogger(SlotPool.class);

  /** How many holders a timeout's message names. */
  private static final int HOLDERS_NAMED = 3;

  /** The least time a validation on borrow is given, even when the borrower's wait is (almost) over. */
  private static final long MIN_VALIDATION_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private static final int ACQUIRED = 0;
  private static final int USAGE_NANOS = 1;
  /** One loan in this many (a power of two) has its time held measured. */
  private static final int USAGE_SAMPLE = 16;

  private final String name;
  private final PooledObjectFactory<T> factory;
  private final Clock clock;
  private final Scheduler scheduler;
  private final PoolListener listener;
  private final int maxSize;
  private final int minIdle;
  private final int maxConcurrentCreates;
  private final long acquireTimeoutNanos;
  private final long validateAfterIdleNanos;
  private final long validationTimeoutNanos;
  private final long idleTimeoutNanos;
  private final long maxLifetimeNanos;
  private final long leakThresholdNanos;
  private final long closeTimeoutNanos;
  private final Backoff creationBackoff;

  /** Every live slot; replaced (never changed in place) under {@link #lock}. */
  @SuppressWarnings("unchecked")
  private volatile Slot<T>[] slots = (Slot<T>[]) new Slot<?>[0];
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a creation or a destruction ends (close waits on it). */
  private final Condition changed = lock.newCondition();
  /** Guarded by lock. */
  private int creating;
  /** Guarded by lock. */
  private int destroying;
  /** Guarded by lock: failures since the last creation that worked. */
  private int failuresInARow;
  /** Guarded by lock: no creation before this reading of the clock (after a failure). */
  private long creationPausedUntil;
  private boolean creationPaused;
  private volatile @Nullable Throwable lastCreationFailure;

  private final ConcurrentLinkedQueue<Waiter<T>> waiters = new ConcurrentLinkedQueue<>();
  /** Waiters whose outcome is not set yet. */
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean closed;
  private final Scheduler.Task housekeeping;

  private final PerThreadCounts hot = new PerThreadCounts(2);
  private final LongAdder waited = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder created = new LongAdder();
  private final LongAdder creationFailures = new LongAdder();
  private final LongAdder creationNanos = new LongAdder();
  private final LongAdder destroyed = new LongAdder();
  private final LongAdder validationFailures = new LongAdder();
  private final LongAdder leaksReported = new LongAdder();

  SlotPool(LocalObjectPool.Builder<T> settings) {
    this.name = settings.name;
    this.factory = settings.factory;
    this.clock = settings.clock;
    this.scheduler = settings.scheduler;
    this.listener = settings.listener;
    this.maxSize = settings.maxSize;
    this.minIdle = settings.minIdle;
    this.maxConcurrentCreates = settings.maxConcurrentCreates;
    this.acquireTimeoutNanos = settings.acquireTimeoutNanos;
    this.validateAfterIdleNanos = settings.validateAfterIdleNanos;
    this.validationTimeoutNanos = settings.validationTimeoutNanos;
    this.idleTimeoutNanos = settings.idleTimeoutNanos;
    this.maxLifetimeNanos = settings.maxLifetimeNanos;
    this.leakThresholdNanos = settings.leakThresholdNanos;
    this.closeTimeoutNanos = settings.closeTimeoutNanos;
    this.creationBackoff = settings.creationBackoff;
    this.housekeeping = scheduler.scheduleWithFixedDelay(this::housekeep, Duration.ofNanos(settings.healthCheckNanos),
        Duration.ofNanos(settings.healthCheckNanos));
    requestCreation(); // minIdle, off the builder's thread
  }

  @Override
  public String name() {
    return name;
  }

  // ---------------------------------------------------------------- acquiring

  @Override
  public Lease<T> acquire() throws InterruptedException {
    return acquireWithin(acquireTimeoutNanos);
  }

  @Override
  public Lease<T> acquire(Duration timeout) throws InterruptedException {
    return acquireWithin(Require.nonNegativeNanos(timeout, "timeout"));
  }

  private Lease<T> acquireWithin(long timeoutNanos) throws InterruptedException {
    Slot<T> slot = take(timeoutNanos);
    if (slot == null) {
      throw timedOut(timeoutNanos);
    }
    return new SlotLease<>(this, slot, Slot.loan(slot.word()));
  }

  @Override
  public Optional<Lease<T>> tryAcquire(Duration timeout) throws InterruptedException {
    long timeoutNanos = Require.nonNegativeNanos(timeout, "timeout");
    Slot<T> slot = take(timeoutNanos);
    if (slot == null) {
      timedOut(timeoutNanos);
      return Optional.empty();
    }
    return Optional.of(new SlotLease<>(this, slot, Slot.loan(slot.word())));
  }

  /** A slot borrowed by this thread, or null at the deadline. */
  private @Nullable Slot<T> take(long timeoutNanos) throws InterruptedException {
    checkOpen();
    long start = clock.nanoTime();
    long now = start;
    Thread me = Thread.currentThread();
    long deadline = start + Math.min(timeoutNanos, Long.MAX_VALUE / 2); // a wait of "forever" does not wrap around
    for (Slot<T> slot = claimIdle(); slot != null; slot = claimIdle()) {
      if (usable(slot, now, deadline)) {
        return lent(slot, now, me);
      }
      now = clock.nanoTime();
      if (deadline - now <= 0) {
        break; // no validation starts after the deadline
      }
    }
    if (timeoutNanos <= 0 || deadline - now <= 0) {
      return null;
    }
    waited.increment();
    try {
      Slot<T> slot = waitInLine(deadline, me);
      return slot == null ? null : lent(slot, clock.nanoTime(), me);
    } finally {
      waitNanos.add(Math.max(0, clock.nanoTime() - start));
    }
  }

  /**
   * Claims an idle slot (marks it borrowed under the next loan number), scanning from this thread's place.
   *
   * @return the slot, or null when none is idle
   */
  private @Nullable Slot<T> claimIdle() {
    Slot<T>[] all = slots;
    int n = all.length;
    if (n == 0) {
      return null;
    }
    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
    long id = Thread.currentThread().getId();
    int i = (int) (((id * 0x9E3779B97F4A7C15L) >>> 33) % n);
    for (int k = 0; k < n; k++) {
      Slot<T> slot = all[i];
      long word = slot.word();
      if (Slot.state(word) == Slot.IDLE && slot.cas(word, Slot.word(Slot.loan(word) + 1, Slot.BORROWED))) {
        return slot;
      }
      if (++i == n) {
        i = 0;
      }
    }
    return null;
  }

  /**
   * Whether a slot just claimed from idle may be lent: not past its lifetime, and validated if it sat idle longer
   * than {@code validateAfterIdle}, within what is left until the borrower's deadline (at least
   * {@link #MIN_VALIDATION_NANOS}, at most {@code validationTimeout}). One that may not is destroyed.
   */
  private boolean usable(Slot<T> slot, long now, long deadline) {
    if (slot.expired(now)) {
      retire(slot, DestroyReason.LIFETIME);
      return false;
    }
    if (now - slot.verifiedNanos >= validateAfterIdleNanos) {
      long budget = Math.min(validationTimeoutNanos, Math.max(MIN_VALIDATION_NANOS, deadline - now));
      if (!valid(slot, budget)) {
        retire(slot, DestroyReason.VALIDATION_FAILED);
        return false;
      }
      slot.verifiedNanos = clock.nanoTime();
    }
    return true;
  }

  /** Records the start of a loan of a slot this thread (or a waiter it stands for) now holds. */
  private Slot<T> lent(Slot<T> slot, long now, Thread borrower) {
    slot.borrowedNanos = now;
    slot.verifiedNanos = now; // lent: in use, so it worked as of now (no validation unless idle or lent that long)
    slot.borrower = borrower;
    if (leakThresholdNanos > 0) {
      slot.acquiredAt = new Throwable("acquired from pool " + name + " by " + borrower.getName());
    }
    slot.recorded(Slot.loan(slot.word())); // borrowedNanos is this loan's from here on
    hot.increment(ACQUIRED);
    return slot;
  }

  /** Waits in line until a slot is handed over (or found idle and usable), or the deadline. */
  private @Nullable Slot<T> waitInLine(long deadline, Thread me) throws InterruptedException {
    SyncWaiter<T> waiter = new SyncWaiter<>(me);
    join(waiter);
    while (deadline - clock.nanoTime() > 0) { // an object given back before this caller joined the line
      Slot<T> idle = claimIdle();
      if (idle == null) {
        break;
      }
      if (usable(idle, clock.nanoTime(), deadline)) {
        if (waiter.giveUp()) {
          leave(waiter);
          return idle;
        }
        makeAvailable(idle, idle.word()); // a slot was handed over meanwhile: keep that one
        break;
      }
    }
    requestCreation();
    while (true) {
      Slot<T> handed = waiter.handedSlot();
      if (handed != null) {
        return handed;
      }
      if (closed) {
        if (waiter.giveUp()) {
          leave(waiter);
          throw closedException();
        }
        continue;
      }
      long remaining = deadline - clock.nanoTime();
      if (remaining <= 0) {
        if (waiter.giveUp()) {
          leave(waiter);
          return null;
        }
        continue;
      }
      LockSupport.parkNanos(this, remaining);
      if (Thread.interrupted()) {
        if (waiter.giveUp()) {
          leave(waiter);
          throw new InterruptedException("interrupted while waiting for pool " + name);
        }
        Thread.currentThread().interrupt(); // a slot arrived first: take it, keep the flag for the caller
      }
    }
  }

  @Override
  public CompletableFuture<Lease<T>> acquireAsync(Duration timeout) {
    long timeoutNanos = Require.nonNegativeNanos(timeout, "timeout");
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    Thread me = Thread.currentThread();
    long now = clock.nanoTime();
    Slot<T> slot = claimIdle();
    if (slot != null) {
      if (!slot.expired(now) && now - slot.verifiedNanos < validateAfterIdleNanos) {
        return CompletableFuture.completedFuture(leaseOf(lent(slot, now, me)));
      }
      makeAvailable(slot, slot.word()); // needs a check, which may block: a scheduler thread does it
    }
    CompletableFuture<Lease<T>> future = new CompletableFuture<>();
    scheduler.execute(() -> acquireForFuture(future, now, timeoutNanos, me));
    return future;
  }

  /** On a scheduler thread: an idle slot (checked here), else a place in line with a timeout. */
  private void acquireForFuture(CompletableFuture<Lease<T>> future, long start, long timeoutNanos, Thread caller) {
    if (future.isDone()) {
      return;
    }
    if (closed) {
      future.completeExceptionally(closedException());
      return;
    }
    long now = clock.nanoTime();
    for (Slot<T> slot = claimIdle(); slot != null; slot = claimIdle()) {
      if (usable(slot, now, start + Math.min(timeoutNanos, Long.MAX_VALUE / 2))) {
        Lease<T> lease = leaseOf(lent(slot, now, caller));
        if (!future.complete(lease)) {
          lease.close();
        }
        return;
      }
      now = clock.nanoTime();
    }
    waited.increment();
    long remaining = timeoutNanos - (now - start);
    if (remaining <= 0) {
      waitNanos.add(Math.max(0, now - start));
      future.completeExceptionally(timedOut(timeoutNanos));
      return;
    }
    AsyncWaiter waiter = new AsyncWaiter(future, caller, start);
    join(waiter);
    Slot<T> idle = claimIdle();
    if (idle != null) {
      makeAvailable(idle, idle.word()); // to the first in line, which may be this waiter
    }
    requestCreation();
    Scheduler.Task timer = scheduler.schedule(() -> {
      if (waiter.giveUp()) {
        leave(waiter);
        waitNanos.add(Math.max(0, clock.nanoTime() - start));
        future.completeExceptionally(timedOut(timeoutNanos));
      }
    }, remaining, TimeUnit.NANOSECONDS);
    future.whenComplete((lease, failure) -> {
      timer.cancel();
      if (future.isCancelled() && waiter.giveUp()) {
        leave(waiter);
      }
    });
  }

  /** A waiter for {@link #acquireAsync}: a slot handed over completes its future, on a scheduler thread. */
  private final class AsyncWaiter extends Waiter<T> {
    private final CompletableFuture<Lease<T>> future;
    private final Thread caller;
    private final long start;

    AsyncWaiter(CompletableFuture<Lease<T>> future, Thread caller, long start) {
      this.future = future;
      this.caller = caller;
      this.start = start;
    }

    @Override
    void handed(Slot<T> slot) {
      long now = clock.nanoTime();
      waitNanos.add(Math.max(0, now - start));
      Lease<T> lease = leaseOf(lent(slot, now, caller));
      scheduler.execute(() -> {
        if (!future.complete(lease)) {
          lease.close(); // cancelled meanwhile: back to the pool
        }
      });
    }

    @Override
    void poolClosed() {
      scheduler.execute(() -> {
        if (giveUp()) {
          leave(this);
          future.completeExceptionally(closedException());
        }
      });
    }
  }

  private Lease<T> leaseOf(Slot<T> slot) {
    return new SlotLease<>(this, slot, Slot.loan(slot.word()));
  }

  private void join(Waiter<T> waiter) {
    waiting.incrementAndGet();
    waiters.add(waiter);
  }

  /** A waiter that gave up leaves the line. */
  private void leave(Waiter<T> waiter) {
    waiters.remove(waiter);
    waiting.decrementAndGet();
  }

  // ---------------------------------------------------------------- giving back

  /**
   * A lease's close. Reads no clock (a clock reading costs about as much as the rest of a borrow and give-back
   * together): lifetimes are checked at the next borrow and by housekeeping, validation counts from the loan's
   * start, idle time is observed by housekeeping, and the time held is sampled (see {@link #countUsage}).
   */
  void giveBack(Slot<T> slot, long loan) {
    long lent = Slot.word(loan, Slot.BORROWED);
    if (slot.word() != lent) {
      return; // this loan already ended
    }
    if (leakThresholdNanos > 0) {
      slot.acquiredAt = null;
    }
    if (closed) {
      if (slot.cas(lent, Slot.word(loan, Slot.RESERVED))) {
        countUsage(slot, loan);
        retire(slot, DestroyReason.CLOSED);
      }
      return;
    }
    if (waiting.get() == 0) {
      if (slot.cas(lent, Slot.word(loan, Slot.IDLE))) {
        countUsage(slot, loan);
        destroyIfClosed(slot, Slot.word(loan, Slot.IDLE));
        if (waiting.get() > 0) {
          serveFromIdle(); // a caller joined the line as this slot went idle
        }
      }
      return;
    }
    long reserved = Slot.word(loan, Slot.RESERVED);
    if (slot.cas(lent, reserved)) {
      countUsage(slot, loan);
      makeAvailable(slot, reserved);
    }
  }

  /**
   * Adds the time a loan was held to the usage total, for one loan in {@value #USAGE_SAMPLE} of each slot (counted
   * {@value #USAGE_SAMPLE} times): the total is an estimate, and most give-backs read no clock.
   */
  private void countUsage(Slot<T> slot, long loan) {
    if ((loan & (USAGE_SAMPLE - 1)) == 0) {
      hot.add(USAGE_NANOS, USAGE_SAMPLE * Math.max(0, clock.nanoTime() - slot.borrowedNanos));
    }
  }

  /** A lease's invalidate. */
  void invalidate(Slot<T> slot, long loan) {
    long lent = Slot.word(loan, Slot.BORROWED);
    if (slot.cas(lent, Slot.word(loan, Slot.RESERVED))) {
      countUsage(slot, loan);
      slot.acquiredAt = null;
      retire(slot, DestroyReason.INVALIDATED);
    }
  }

  /**
   * Makes a slot the pool code holds (borrowed or reserved, at word {@code held}) available: to the first waiter,
   * else idle.
   */
  private void makeAvailable(Slot<T> slot, long held) {
    if (Slot.state(held) == Slot.DEAD) {
      return; // destroyed by the pool's close meanwhile
    }
    long loan = Slot.loan(held);
    if (waiting.get() > 0) {
      long lent = Slot.word(loan + 1, Slot.BORROWED);
      if (!slot.cas(held, lent)) {
        return; // only the pool's close takes a slot the pool code holds: it destroyed it
      }
      if (handOver(slot)) {
        return;
      }
      held = lent;
      loan++;
    }
    long idle = Slot.word(loan, Slot.IDLE);
    if (slot.cas(held, idle)) {
      destroyIfClosed(slot, idle);
      if (waiting.get() > 0) {
        serveFromIdle();
      }
    }
  }

  /**
   * After a slot went idle (at word {@code idle}): destroys it if the pool closed meanwhile. The pool's close sets
   * {@code closed} and then destroys idle slots; a slot going idle reads {@code closed} after: one of the two sees
   * the other, so no slot stays idle in a closed pool.
   */
  private void destroyIfClosed(Slot<T> slot, long idle) {
    if (closed && slot.cas(idle, Slot.word(Slot.loan(idle), Slot.RESERVED))) {
      retire(slot, DestroyReason.CLOSED);
    }
  }

  /**
   * Gives a borrowed slot to the first waiter still waiting. The waiter leaves the count before the offer: a creation
   * deciding meanwhile on another thread must not count a caller that is being served (it would make an object
   * nobody waits for). A waiter that gave up is counted back, since its own {@link #leave} takes it off.
   */
  private boolean handOver(Slot<T> slot) {
    for (Waiter<T> waiter = waiters.poll(); waiter != null; waiter = waiters.poll()) {
      waiting.decrementAndGet();
      if (waiter.offer(slot)) {
        return true;
      }
      waiting.incrementAndGet();
    }
    return false;
  }

  /** While callers wait, hands them idle slots. */
  private void serveFromIdle() {
    while (waiting.get() > 0) {
      Slot<T> idle = claimIdle();
      if (idle == null) {
        return;
      }
      if (!handOver(idle)) {
        long word = idle.word(); // borrowed by this code, unless the pool's close destroyed it meanwhile
        if (Slot.state(word) == Slot.BORROWED && idle.cas(word, Slot.word(Slot.loan(word), Slot.IDLE))) {
          destroyIfClosed(idle, Slot.word(Slot.loan(word), Slot.IDLE));
        }
        return;
      }
    }
  }

  // ---------------------------------------------------------------- creating and destroying

  /** Starts as many creations as waiters and {@code minIdle} need, within the bounds. */
  private void requestCreation() {
    int start = 0;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (creationPaused && clock.nanoTime() - creationPausedUntil < 0) {
        return; // the retry after the backoff asks again
      }
      creationPaused = false;
      int wanted = waiting.get() + Math.max(0, minIdle - countIn(Slot.IDLE));
      while (creating < maxConcurrentCreates && slots.length + creating < maxSize && creating < wanted) {
        creating++;
        start++;
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < start; i++) {
      scheduler.execute(this::createOne);
    }
  }

  private void createOne() {
    long started = clock.nanoTime();
    T object;
    try {
      object = Objects.requireNonNull(factory.create(), "the factory's create() returned null");
    } catch (Exception | Error e) {
      creationFailed(e, started);
      if (e instanceof Error error) {
        throw error;
      }
      return;
    }
    long now = clock.nanoTime();
    long lifetime = maxLifetimeNanos <= 0 ? Long.MAX_VALUE
        : maxLifetimeNanos - (long) (ThreadLocalRandom.current().nextDouble() * maxLifetimeNanos / 40); // -2.5%
    Slot<T> slot = new Slot<>(object, now, lifetime);
    boolean kept;
    lock.lock();
    try {
      kept = !closed;
      if (kept) {
        Slot<T>[] grown = Arrays.copyOf(slots, slots.length + 1);
        grown[grown.length - 1] = slot;
        slots = grown;
      }
    } finally {
      lock.unlock();
    }
    lastCreationFailure = null;
    created.increment();
    creationNanos.add(now - started);
    Listeners.notify(listener, "onCreated", l -> l.onCreated(name, Duration.ofNanos(now - started)));
    if (kept) {
      // handed over (or idle) before it stops counting as a creation under way: until then, a caller that looks
      // sees it either as under way or as available, never neither (which would start one creation too many)
      makeAvailable(slot, slot.word());
    } else {
      destroyNow(object, DestroyReason.CLOSED);
    }
    lock.lock();
    try {
      creating--;
      failuresInARow = 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    requestCreation(); // still needed?
  }

  private void creationFailed(Throwable failure, long started) {
    long now = clock.nanoTime();
    long delay;
    lock.lock();
    try {
      creating--;
      failuresInARow++;
      delay = creationBackoff.delayNanos(failuresInARow);
      creationPaused = true;
      creationPausedUntil = now + delay;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    lastCreationFailure = failure;
    creationFailures.increment();
    creationNanos.add(Math.max(0, now - started));
    log.debug("Pool {}: creating an object failed ({}); trying again in {} ms", name, failure.toString(),
        delay / 1_000_000);
    Listeners.notify(listener, "onCreationFailed", l -> l.onCreationFailed(name, failure, Duration.ofNanos(delay)));
    if (!closed) {
      scheduler.schedule(this::requestCreation, delay, TimeUnit.NANOSECONDS);
    }
  }

  /** Destroys a slot the pool code holds (reserved or borrowed): out of the array, then the factory's destroy. */
  private void retire(Slot<T> slot, DestroyReason reason) {
    long word = slot.word();
    if (Slot.state(word) == Slot.DEAD || !slot.cas(word, Slot.word(Slot.loan(word), Slot.DEAD))) {
      return;
    }
    if (reason == DestroyReason.VALIDATION_FAILED) {
      validationFailures.increment();
    }
    lock.lock();
    try {
      removeFromSlots(slot);
      destroying++;
    } finally {
      lock.unlock();
    }
    scheduler.execute(() -> {
      try {
        destroyNow(slot.object, reason);
      } finally {
        lock.lock();
        try {
          destroying--;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    });
    requestCreation(); // a waiter or minIdle may need a replacement
  }

  /** Takes a slot out of the array; under {@link #lock}. */
  private void removeFromSlots(Slot<T> slot) {
    Slot<T>[] all = slots;
    int at = Arrays.asList(all).indexOf(slot);
    if (at >= 0) {
      Slot<T>[] shrunk = Arrays.copyOf(all, all.length - 1);
      System.arraycopy(all, at + 1, shrunk, at, all.length - at - 1);
      slots = shrunk;
    }
  }

  private void destroyNow(T object, DestroyReason reason) {
    try {
      factory.destroy(object);
    } catch (Exception e) {
      log.warn("Pool {}: destroying an object ({}) failed: {}", name, reason, e.toString());
    }
    destroyed.increment();
    Listeners.notify(listener, "onDestroyed", l -> l.onDestroyed(name, reason));
  }

  private boolean valid(Slot<T> slot, long timeoutNanos) {
    try {
      return factory.validate(slot.object, Duration.ofNanos(timeoutNanos));
    } catch (Exception e) {
      log.debug("Pool {}: validation threw {}", name, e.toString());
      return false;
    }
  }

  // ---------------------------------------------------------------- housekeeping

  /**
   * Every {@code healthCheckInterval}: retires objects past their lifetime or idle too long (above
   * {@code minIdle}), validates objects idle longer than {@code validateAfterIdle}, reports probable leaks, and
   * creates objects up to {@code minIdle}.
   */
  private void housekeep() {
    if (closed) {
      return;
    }
    long now = clock.nanoTime();
    int idle = countIn(Slot.IDLE);
    for (Slot<T> slot : slots) {
      long word = slot.word();
      long loan = Slot.loan(word);
      int state = Slot.state(word);
      if (state == Slot.IDLE) {
        boolean old = slot.expired(now);
        if (slot.idleSeenLoan != loan) { // idle at a loan not seen before: lent since the last look
          slot.idleSeenLoan = loan;
          slot.idleSeenNanos = now;
        }
        // idle since at least the first look at this loan: never evicted early, at most one interval late
        boolean unused = idleTimeoutNanos > 0 && now - slot.idleSeenNanos >= idleTimeoutNanos && idle > minIdle;
        boolean unchecked = now - slot.verifiedNanos >= validateAfterIdleNanos;
        if (!(old || unused || unchecked) || !slot.cas(word, Slot.word(loan, Slot.RESERVED))) {
          continue;
        }
        if (old || unused) {
          idle--;
          retire(slot, old ? DestroyReason.LIFETIME : DestroyReason.IDLE);
        } else if (valid(slot, validationTimeoutNanos)) {
          slot.verifiedNanos = clock.nanoTime();
          makeAvailable(slot, Slot.word(loan, Slot.RESERVED));
        } else {
          idle--;
          retire(slot, DestroyReason.VALIDATION_FAILED);
        }
      } else if (state == Slot.BORROWED && leakThresholdNanos > 0) {
        reportIfLeaked(slot, loan, now);
      }
    }
    requestCreation();
  }

  private void reportIfLeaked(Slot<T> slot, long loan, long now) {
    if (!slot.recordedFor(loan) || slot.leakReportedLoan == loan) {
      return;
    }
    long held = now - slot.borrowedNanos;
    Thread borrower = slot.borrower;
    if (held < leakThresholdNanos || borrower == null) {
      return;
    }
    slot.leakReportedLoan = loan;
    leaksReported.increment();
    LeakReport report = new LeakReport(name, borrower.getName(), Duration.ofNanos(held), slot.acquiredAt);
    log.warn("Pool {}: a lease held for {} ms by thread {} was probably never closed", name, held / 1_000_000,
        borrower.getName(), slot.acquiredAt);
    Listeners.notify(listener, "onLeakSuspected", l -> l.onLeakSuspected(report));
  }

  // ---------------------------------------------------------------- diagnostics and stats

  private int countIn(int state) {
    int count = 0;
    for (Slot<T> slot : slots) {
      if (Slot.state(slot.word()) == state) {
        count++;
      }
    }
    return count;
  }

  /** The longest holders now, longest first. */
  private List<PoolTimeoutException.Holder> longestHolders() {
    long now = clock.nanoTime();
    List<PoolTimeoutException.Holder> holders = new ArrayList<>();
    for (Slot<T> slot : slots) {
      long word = slot.word();
      Thread borrower = slot.borrower;
      if (Slot.state(word) == Slot.BORROWED && borrower != null
          && slot.recordedFor(Slot.loan(word))) {
        holders.add(new PoolTimeoutException.Holder(borrower.getName(),
            Duration.ofNanos(Math.max(0, now - slot.borrowedNanos))));
      }
    }
    holders.sort(Comparator.comparing(PoolTimeoutException.Holder::heldFor).reversed());
    return holders.subList(0, Math.min(HOLDERS_NAMED, holders.size()));
  }

  private PoolTimeoutException timedOut(long timeoutNanos) {
    timedOut.increment();
    List<PoolTimeoutException.Holder> holders = longestHolders();
    Throwable failure = lastCreationFailure;
    int size = slots.length;
    StringBuilder message = new StringBuilder("Pool ").append(name).append(": no object within ")
        .append(TimeUnit.NANOSECONDS.toMillis(timeoutNanos)).append(" ms; ")
        .append(countIn(Slot.BORROWED)).append(" of ").append(size).append(" lent (at most ").append(maxSize)
        .append("), ").append(waiting.get()).append(" waiting");
    if (!holders.isEmpty()) {
      message.append("; longest holders: ").append(holders.stream()
          .map(h -> "thread " + h.thread() + " for " + h.heldFor().toMillis() + " ms")
          .collect(Collectors.joining(", ")));
    }
    if (failure != null) {
      message.append("; creating objects fails: ").append(failure);
    }
    PoolTimeoutException timeout = new PoolTimeoutException(message.toString(), holders, failure);
    Listeners.notify(listener, "onTimeout", l -> l.onTimeout(name, timeout));
    return timeout;
  }

  @Override
  public PoolStats stats() {
    int idle = 0;
    int borrowed = 0;
    Slot<T>[] all = slots;
    for (Slot<T> slot : all) {
      int state = Slot.state(slot.word());
      if (state == Slot.IDLE) {
        idle++;
      } else if (state == Slot.BORROWED) {
        borrowed++;
      }
    }
    int creatingNow;
    lock.lock();
    try {
      creatingNow = creating;
    } finally {
      lock.unlock();
    }
    return new PoolStats(all.length, idle, borrowed, waiting.get(), creatingNow, hot.sum(ACQUIRED), waited.sum(),
        timedOut.sum(), waitNanos.sum(), hot.sum(USAGE_NANOS), created.sum(), creationFailures.sum(),
        creationNanos.sum(), destroyed.sum(), validationFailures.sum(), leaksReported.sum());
  }

  // ---------------------------------------------------------------- closing

  private void checkOpen() {
    if (closed) {
      throw closedException();
    }
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("pool " + name + " is closed");
  }

  @Override
  public void close() {
    close(Duration.ofNanos(closeTimeoutNanos));
  }

  @Override
  public void close(Duration deadline) {
    long waitNanos = Require.nonNegativeNanos(deadline, "deadline");
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    housekeeping.cancel();
    for (Waiter<T> waiter : waiters) {
      waiter.poolClosed();
    }
    for (Slot<T> slot : slots) { // idle objects: destroyed before close returns, whatever the deadline
      destroyOnClose(slot, Slot.IDLE);
    }
    long end = clock.nanoTime() + waitNanos;
    lock.lock();
    try {
      while (slots.length > 0 || creating > 0 || destroying > 0) {
        long remaining = end - clock.nanoTime();
        if (remaining <= 0) {
          break;
        }
        changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    // the deadline passed: what is still lent is destroyed now (its lease ends)
    for (Slot<T> slot : slots) {
      if (destroyOnClose(slot, Slot.BORROWED)) {
        log.warn("Pool {}: an object still lent at the close deadline was destroyed", name);
      } else {
        destroyOnClose(slot, Slot.IDLE);
      }
    }
  }

  /** On close: destroys a slot in {@code state} on this thread; false if it was not in that state. */
  private boolean destroyOnClose(Slot<T> slot, int state) {
    long word = slot.word();
    if (Slot.state(word) != state || !slot.cas(word, Slot.word(Slot.loan(word), Slot.DEAD))) {
      return false;
    }
    lock.lock();
    try {
      removeFromSlots(slot);
    } finally {
      lock.unlock();
    }
    destroyNow(slot.object, DestroyReason.CLOSED);
    return true;
  }

  @Override
  public String toString() {
    PoolStats stats = stats();
    return "ObjectPool[" + name + ", " + stats.borrowed() + " of " + stats.size() + " lent, " + stats.idle()
        + " idle, " + stats.waiting() + " waiting" + (closed ? ", closed" : "") + "]";
  }

  /** A thread parked in {@link #waitInLine}. */
  private static final class SyncWaiter<T> extends Waiter<T> {
    private final Thread thread;

    SyncWaiter(Thread thread) {
      this.thread = thread;
    }

    @Override
    void handed(Slot<T> slot) {
      LockSupport.unpark(thread);
    }

    @Override
    void poolClosed() {
      LockSupport.unpark(thread);
    }
  }
}
