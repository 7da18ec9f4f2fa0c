package io.distkit.hashing.internal;

import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.session.Lease;
import io.distkit.core.session.Scheduler;
import io.distkit.core.session.SerialExecutor;
import io.distkit.hashing.Membership;
import io.distkit.hashing.MembershipStats;
import io.distkit.hashing.MembershipView;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a {@link Membership} that does not depend on where the group lives: renewing the lease, re-reading
 * the group, building a locator per version and telling the listener, in order.
 *
 * <p><b>Threads: none of its own.</b> Background steps (renewals every renew interval, polls every poll interval,
 * the re-reads change notifications ask for) run on the configured {@link Scheduler} through a
 * {@link SerialExecutor}, so they never overlap or reorder and hold one scheduler worker only while they run; each
 * repeating step is scheduled again when it ends. {@link #start()}, {@link #refresh()} and {@link #close()} run on
 * the caller's thread. Every backend call and the view update after it hold one lock (a {@link ReentrantLock}, so
 * a virtual thread is not pinned while it waits for the backend), so reads are applied in the order they were
 * made and a view never goes back to an older version. A subclass says how to renew, read and leave, and how to
 * be told of changes (it calls {@link #requestRefresh()}). Not API.
 *
 * <p><b>Positions.</b> The backend gives each member a position (the version at which it first joined) and
 * lists members by position. The member remembers its position and asks for it again whenever it has to join
 * anew (its lease ran out, the backend lost the group), so it gets its old place back: the order, and with it
 * a JUMP locator's buckets, stays as it was.
 *
 * <p><b>Lease.</b> A member counts its lease from when each renewal was <em>sent</em>, on the injected clock, to
 * core's conservative local deadline ({@link Lease#localDeadline}: the lease less 1%, at least 2 ms).
 * When that deadline passes without a confirmed renewal, or a read of the group no longer lists the
 * member, or a renewal finds that the group had dropped it, the listener hears
 * {@link io.distkit.hashing.MembershipListener#onLeaseLost onLeaseLost} (once), the membership asks to rejoin
 * at once, and the first renewal that succeeds brings
 * {@link io.distkit.hashing.MembershipListener#onLeaseRestored onLeaseRestored}.
 *
 * @param <N> the node type
 */
public abstract class AbstractMembership<N extends Node> implements Membership<N> {

  private static final Logger log = LoggerFactory.getLogger(AbstractMembership.class);

  /**
   * One read of the group.
   *
   * @param version the group's version
   * @param members the members, by position
   * @param <N> the node type
   */
  public record Snapshot<N extends Node>(long version, List<N> members) {}

  /**
   * One renewal.
   *
   * @param version the group's version after it
   * @param position the member's position in the group
   * @param joined whether this renewal added the member (it was not a member just before)
   */
  public record Heartbeat(long version, long position, boolean joined) {}

  /** No position yet: the backend gives one at the first join. */
  public static final long NO_POSITION = -1;

  /** The settings. */
  protected final MembershipSettings<N> settings;
  private final Clock clock;
  private final String name;
  private final Scheduler scheduler;
  /** Runs the background steps one at a time, in order. */
  private final SerialExecutor serial;
  /** Held by every backend call and the view update after it. */
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Loop> loops = new CopyOnWriteArrayList<>();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile MembershipView<N> view;

  /** The member's position, once the backend gave one; asked for again on every join. */
  private volatile long position = NO_POSITION;
  /** When the last confirmed renewal was sent, by {@link #clock}; meaningful once {@link #joinedOnce}. */
  private volatile long renewedAtNanos;
  private volatile boolean joinedOnce;
  /** Between onLeaseLost and onLeaseRestored. */
  private volatile boolean leaseLost;

  private final LongAdder heartbeats = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final LongAdder changes = new LongAdder();
  private final LongAdder failures = new LongAdder();

  /**
   * Prepares the membership; {@link #start()} sets it going.
   *
   * @param settings the shared settings, with the scheduler the background steps run on
   * @param clock measures this member's lease locally (monotonic nanoseconds)
   * @param name a short name for logs, e.g. {@code "redis:cache-tier"}; no credentials
   */
  protected AbstractMembership(MembershipSettings<N> settings, Clock clock, String name) {
    this.settings = settings;
    this.clock = clock;
    this.name = name;
    this.scheduler = settings.scheduler();
    this.serial = new SerialExecutor(scheduler);
    this.view = new MembershipView<>(-1, List.of(), settings.locator().locator(List.<N>of()));
  }

  /**
   * Renews (or takes) this member's lease.
   *
   * @param self this member
   * @param position the position this member had, or {@link #NO_POSITION}: the backend gives it back when it
   *     has to add the member and does not remember one itself
   * @return the group's version after the renewal, the member's position, and whether it joined
   */
  protected abstract Heartbeat heartbeat(N self, long position);

  /**
   * Reads the whole group, expiring members whose lease has run out.
   *
   * @return the version and the members by position
   */
  protected abstract Snapshot<N> read();

  /**
   * Removes this member from the group.
   *
   * @param self this member
   */
  protected abstract void leave(N self);

  /** Starts listening for change notifications, after the first read. Does nothing unless overridden. */
  protected void startListening() {}

  /**
   * Stops listening for change notifications and releases what listening holds; also called when
   * {@link #start()} fails, before {@link #startListening()} ran. Does nothing unless overridden.
   */
  protected void stopListening() {}

  /**
   * Joins and reads once on the calling thread, then schedules renewals and polls and starts listening.
   *
   * @throws RuntimeException whatever the first join or read threw; the membership is then closed
   */
  public final void start() {
    lock.lock();
    try {
      settings.member().ifPresent(this::heartbeatOnce);
      readAndApply();
    } catch (RuntimeException e) {
      closed.set(true);
      stopListening();
      throw e;
    } finally {
      lock.unlock();
    }
    try {
      startListening();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    settings.member().ifPresent(self -> loops.add(new Loop("renew the lease", settings.renewInterval(),
        () -> renewAndRead(self))));
    loops.add(new Loop("read the group", settings.pollInterval(), this::readAndApplyLocked));
    loops.forEach(Loop::scheduleNext);
  }

  private void renewAndRead(N self) {
    lock.lock();
    try {
      if (heartbeatOnce(self) != view.version()) {
        readAndApply();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private long heartbeatOnce(N self) {
    long sent = clock.nanoTime();
    if (joinedOnce && sent - leaseDeadline() >= 0) {
      leaseLost("its last confirmed renewal was sent " + (sent - renewedAtNanos) / 1_000_000
          + " ms ago, past its lease's local deadline");
    }
    Heartbeat beat = heartbeat(self, position);
    heartbeats.increment();
    position = beat.position();
    if (beat.joined() && joinedOnce) {
      leaseLost("the group had dropped it: this renewal joined it again");
    }
    joinedOnce = true;
    renewedAtNanos = sent;
    if (leaseLost) {
      leaseLost = false;
      log.info("Membership {}: {} holds a lease again, at its old position", name, self.nodeId());
      Listeners.notify(settings.listener(), "onLeaseRestored", l -> l.onLeaseRestored(self));
    }
    return beat.version();
  }

  /** Tells the listener once that this member's lease may have run out, and asks to rejoin at once. */
  private void leaseLost(String why) {
    if (leaseLost || closed.get()) {
      return;
    }
    leaseLost = true;
    N self = settings.member().orElseThrow();
    log.warn("Membership {}: {} may have lost its lease: {}; rejoining", name, self.nodeId(), why);
    Listeners.notify(settings.listener(), "onLeaseLost", l -> l.onLeaseLost(self));
    serial.execute(() -> {
      if (!closed.get()) {
        quietly("rejoin", () -> renewAndRead(self));
      }
    });
  }

  private void readAndApplyLocked() {
    lock.lock();
    try {
      readAndApply();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void readAndApply() {
    Snapshot<N> snapshot = read();
    reads.increment();
    settings.member().ifPresent(self -> {
      if (joinedOnce && snapshot.members().stream().noneMatch(m -> m.nodeId().equals(self.nodeId()))) {
        leaseLost("the group no longer lists it");
      }
    });
    MembershipView<N> previous = view;
    if (snapshot.version() == previous.version()) {
      return;
    }
    NodeLocator<N> locator;
    try {
      locator = settings.locator().locator(snapshot.members());
    } catch (IllegalArgumentException e) {
      // a member this config can not hold (a weighted node under JUMP, more nodes than Maglev slots): every
      // observer fails alike, so keep the last view rather than disagree with the others
      failures.increment();
      log.warn("Membership {}: cannot build a {} locator for version {}; keeping version {}: {}", name,
          settings.locator(), snapshot.version(), previous.version(), e.getMessage());
      return;
    }
    MembershipView<N> next = new MembershipView<>(snapshot.version(), snapshot.members(), locator);
    view = next;
    changes.increment();
    log.debug("Membership {}: version {} with {} members", name, next.version(), next.members().size());
    Listeners.notify(settings.listener(), "onChange", l -> l.onChange(previous, next));
  }

  /**
   * Asks for a read soon, on the scheduler; for change notifications and possibly missed ones. Cheap and
   * non-blocking, so a pub/sub reader may call it. Requests that arrive while one is queued are merged into it.
   */
  protected final void requestRefresh() {
    if (closed.get() || !refreshQueued.compareAndSet(false, true)) {
      return;
    }
    serial.execute(() -> {
      refreshQueued.set(false);
      if (!closed.get()) {
        quietly("read the group", this::readAndApplyLocked);
      }
    });
  }

  private void quietly(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // the backend guard logs outages at WARN once; each failed attempt is only worth a debug line
      failures.increment();
      log.debug("Membership {} could not {}: {}", name, what, e.toString());
    }
  }

  /**
   * A background step that runs on {@link #serial} every interval, counted from the end of its previous run (a
   * slow backend pushes the next run back; runs never pile up).
   */
  private final class Loop implements Runnable {
    private final String what;
    private final long intervalNanos;
    private final Runnable step;
    private volatile Scheduler.@Nullable Task next;

    Loop(String what, Duration interval, Runnable step) {
      this.what = what;
      this.intervalNanos = interval.toNanos();
      this.step = step;
    }

    void scheduleNext() {
      if (!closed.get()) {
        next = scheduler.schedule(() -> serial.execute(this), intervalNanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public void run() {
      if (closed.get()) {
        return;
      }
      quietly(what, step);
      scheduleNext();
    }

    void cancel() {
      Scheduler.Task pending = next;
      if (pending != null) {
        pending.cancel();
      }
    }

    @Override
    public String toString() {
      return "Membership " + name + ": " + what;
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closing has begun
   */
  protected final boolean isClosed() {
    return closed.get();
  }

  @Override
  public final MembershipView<N> view() {
    return view;
  }

  @Override
  public final Optional<N> self() {
    return settings.member();
  }

  @Override
  public final MembershipView<N> refresh() {
    if (closed.get()) {
      throw new IllegalStateException("Membership " + name + " is closed");
    }
    lock.lock();
    try {
      readAndApply();
      return view;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public final boolean holdsLease() {
    return settings.member().isPresent() && joinedOnce && !leaseLost && !closed.get()
        && clock.nanoTime() - leaseDeadline() < 0;
  }

  /** Core's conservative local deadline of the lease last confirmed ({@link Lease#localDeadline}). */
  private long leaseDeadline() {
    return Lease.localDeadline(renewedAtNanos, settings.lease().toNanos());
  }

  @Override
  public final MembershipStats stats() {
    return new MembershipStats(heartbeats.sum(), reads.sum(), changes.sum(), failures.sum());
  }

  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    loops.forEach(Loop::cancel);
    stopListening();
    settings.member().ifPresent(self -> {
      lock.lock();
      try {
        leave(self);
      } catch (RuntimeException e) {
        log.warn("Membership {}: could not leave ({}); the lease expires in at most {} ms", name, e.toString(),
            settings.lease().toMillis());
      } finally {
        lock.unlock();
      }
    });
  }

  @Override
  public String toString() {
    MembershipView<N> v = view;
    return "Membership[" + name + ", version " + v.version() + ", " + v.members().size() + " members]";
  }
}
