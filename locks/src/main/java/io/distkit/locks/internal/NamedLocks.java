package io.distkit.locks.internal;

import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.Require;
import io.distkit.core.session.Scheduler;
import io.distkit.locks.FencedLock;
import io.distkit.locks.FencedReadWriteLock;
import io.distkit.locks.FencedSemaphore;
import io.distkit.locks.Leader;
import io.distkit.locks.LeaderElection;
import io.distkit.locks.LeaderObserver;
import io.distkit.locks.LockHandle;
import io.distkit.locks.LockInfo;
import io.distkit.locks.LockLease;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public kinds of a lock service, built once on its {@link LockEngine}: what each kind asks the engine, with the
 * checks of arguments both services share.
 */
public final class NamedLocks {

  private static final Logger log = LoggerFactory.getLogger(NamedLocks.class);

  /** The longest candidate name an election takes. */
  public static final int MAX_CANDIDATE_LENGTH = 256;

  private NamedLocks() {}

  /**
   * A named lock.
   *
   * @param engine the service's engine
   * @param name non-blank
   * @return the lock
   */
  public static FencedLock lock(LockEngine engine, String name) {
    return new Side(engine, LockKind.LOCK, Require.nonBlank(name, "name"));
  }

  /**
   * A named semaphore.
   *
   * @param engine the service's engine
   * @param name non-blank
   * @param permits at least 1
   * @return the semaphore
   */
  public static FencedSemaphore semaphore(LockEngine engine, String name, int permits) {
    LockKind kind = LockKind.permit(permits);
    return new Side(engine, kind, Require.nonBlank(name, "name"));
  }

  /**
   * A named read-write lock.
   *
   * @param engine the service's engine
   * @param name non-blank
   * @return the read-write lock
   */
  public static FencedReadWriteLock readWriteLock(LockEngine engine, String name) {
    Require.nonBlank(name, "name");
    FencedLock read = new Side(engine, LockKind.READ, name);
    FencedLock write = new Side(engine, LockKind.WRITE, name);
    return new FencedReadWriteLock() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public FencedLock read() {
        return read;
      }

      @Override
      public FencedLock write() {
        return write;
      }

      @Override
      public String toString() {
        return "FencedReadWriteLock[" + name + "]";
      }
    };
  }

  /**
   * A named election.
   *
   * @param engine the service's engine
   * @param name non-blank
   * @return the election
   */
  public static LeaderElection election(LockEngine engine, String name) {
    return new Election(engine, Require.nonBlank(name, "name"));
  }

  /** One kind on one name: a lock, a semaphore, or a side of a read-write lock. */
  private record Side(LockEngine engine, LockKind kind, String name) implements FencedSemaphore {

    @Override
    public Optional<LockHandle> tryAcquire() {
      try {
        return tryAcquire(Duration.ZERO, engine.defaultLease());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // cannot happen without a wait; keep the flag if it did
        return Optional.empty();
      }
    }

    @Override
    public Optional<LockHandle> tryAcquire(Duration wait, LockLease lease) throws InterruptedException {
      Objects.requireNonNull(wait, "wait");
      Objects.requireNonNull(lease, "lease");
      return engine.acquire(kind, name, wait, lease, null);
    }

    @Override
    public LockInfo inspect() {
      return engine.inspect(kind, name).info();
    }

    @Override
    public int permits() {
      return kind.limit();
    }

    @Override
    public String toString() {
      return kind.namespace() + "[" + name + (kind.exclusive() ? "" : ", " + kind.limit()) + "]";
    }
  }

  /** An election: an exclusive kind of its own, whose holder campaigned under a candidate name. */
  private record Election(LockEngine engine, String name) implements LeaderElection {

    @Override
    public Optional<LockHandle> campaign(String candidate, Duration wait, LockLease lease)
        throws InterruptedException {
      Require.nonBlank(candidate, "candidate");
      if (candidate.length() > MAX_CANDIDATE_LENGTH) {
        throw new IllegalArgumentException("candidate (" + candidate.length() + " characters) must be at most "
            + MAX_CANDIDATE_LENGTH + " characters");
      }
      Objects.requireNonNull(wait, "wait");
      Objects.requireNonNull(lease, "lease");
      return engine.acquire(LockKind.ELECTION, name, wait, lease, candidate);
    }

    @Override
    public Optional<Leader> leader() {
      LockEngine.Inspection read = engine.inspect(LockKind.ELECTION, name);
      LockInfo info = read.info();
      if (info.holderToken() == null || read.candidate() == null) {
        return Optional.empty();
      }
      return Optional.of(new Leader(read.candidate(), info.holderToken(), info.remainingLease()));
    }

    @Override
    public LockInfo inspect() {
      return engine.inspect(LockKind.ELECTION, name).info();
    }

    @Override
    public Observation observe(Duration every, LeaderObserver observer) {
      long everyNanos = Require.positiveNanos(every, "every");
      if (everyNanos < 1_000_000L) {
        throw new IllegalArgumentException("every (" + every + ") must be at least 1 ms");
      }
      Objects.requireNonNull(observer, "observer");
      Watch watch = new Watch(this, engine.scheduler(), everyNanos, observer);
      watch.schedule(0);
      return watch;
    }

    @Override
    public String toString() {
      return "LeaderElection[" + name + "]";
    }
  }

  /** One {@link LeaderElection#observe}: a reading per period, on the scheduler, one at a time. */
  private static final class Watch implements LeaderElection.Observation {
    private final Election election;
    private final Scheduler scheduler;
    private final long everyNanos;
    private final LeaderObserver observer;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The term last told (null: nobody leads); {@code told} says whether anything was told yet. */
    private @Nullable Object lastTerm;
    private boolean told;
    private volatile Scheduler.@Nullable Task next;

    Watch(Election election, Scheduler scheduler, long everyNanos, LeaderObserver observer) {
      this.election = election;
      this.scheduler = scheduler;
      this.everyNanos = everyNanos;
      this.observer = observer;
    }

    void schedule(long delayNanos) {
      if (!closed.get()) {
        next = scheduler.schedule(this::read, delayNanos, TimeUnit.NANOSECONDS);
      }
    }

    /** Readings never overlap: the next one is scheduled when this one is done. */
    private void read() {
      if (closed.get()) {
        return;
      }
      try {
        Optional<Leader> leader = election.leader();
        Object term = leader.map(Leader::term).orElse(null);
        if (!told || !Objects.equals(term, lastTerm)) {
          told = true;
          lastTerm = term;
          Listeners.notify(observer, "onLeader", o -> o.onLeader(leader));
        }
      } catch (RuntimeException e) {
        log.debug("Could not read the leader of {}: {}", election.name(), e.toString());
        Listeners.notify(observer, "onReadFailed", o -> o.onReadFailed(e));
      } finally {
        schedule(everyNanos);
      }
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        Scheduler.Task task = next;
        if (task != null) {
          task.cancel();
        }
      }
    }
  }
}
