package io.distkit.pool.jobs.local;

import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import io.distkit.core.session.FencingToken;
import io.distkit.core.session.Scheduler;
import io.distkit.pool.jobs.DeadJob;
import io.distkit.pool.jobs.GroupLimits;
import io.distkit.pool.jobs.Job;
import io.distkit.pool.jobs.JobHandler;
import io.distkit.pool.jobs.JobOptions;
import io.distkit.pool.jobs.JobQueue;
import io.distkit.pool.jobs.JobStats;
import io.distkit.pool.jobs.JobWorkers;
import io.distkit.pool.jobs.Submission;
import io.distkit.pool.jobs.internal.GroupGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LocalJobQueue}'s queue. One lock guards everything (jobs are coarse work: a lock per take and per outcome
 * is cheap beside them); workers wait on one condition until the next job is due.
 */
final class InProcessJobQueue<P> implements JobQueue<P> {

  private static final Logger log = LoggerFactory.getLogger(InProcessJobQueue.class);

  /** A submitted job. Guarded by the queue's lock. */
  private static final class Entry<P> {
    final String id;
    final P payload;
    final JobOptions options;
    final long submittedNanos;
    final long seq;
    int attempts;
    long dueNanos;
    /** The token of the attempt under way, or null between attempts. */
    @Nullable FencingToken running;
    String lastFailure = "";

    Entry(String id, P payload, JobOptions options, long submittedNanos, long seq) {
      this.id = id;
      this.payload = payload;
      this.options = options;
      this.submittedNanos = submittedNanos;
      this.seq = seq;
    }
  }

  private record Remembered(String jobId, long expiresNanos) {}

  private final String name;
  private final Clock clock;
  private final Scheduler scheduler;
  private final @Nullable Executor executor;
  private final long deduplicationWindowNanos;
  private final int maxDead;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Jobs not yet due, soonest first. */
  private final PriorityQueue<Entry<P>> delayed =
      new PriorityQueue<>(Comparator.<Entry<P>>comparingLong(e -> e.dueNanos).thenComparingLong(e -> e.seq));
  /** Due jobs, highest priority first, then oldest. */
  private final PriorityQueue<Entry<P>> ready = new PriorityQueue<>(
      Comparator.<Entry<P>>comparingInt(e -> -e.options.priority()).thenComparingLong(e -> e.seq));
  /** Idempotency keys in the order they were first seen (which is also the order they expire). */
  private final LinkedHashMap<String, Remembered> keys = new LinkedHashMap<>();
  private final LinkedHashMap<String, Entry<P>> dead = new LinkedHashMap<>();
  private final List<Workers> workers = new CopyOnWriteArrayList<>();
  private long seq;
  private long lastToken;
  private int running;
  private boolean closed;
  private long submitted;
  private long duplicates;
  private long succeeded;
  private long failed;
  private long retried;
  private long deferred;
  private long deadLettered;
  private long startLatencyNanos;
  private long started;

  InProcessJobQueue(LocalJobQueue.Builder<P> settings) {
    this.name = settings.name;
    this.clock = settings.clock;
    this.scheduler = settings.scheduler;
    this.executor = settings.executor;
    this.deduplicationWindowNanos = settings.deduplicationWindowNanos;
    this.maxDead = settings.maxDead;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Submission submit(P payload, JobOptions options) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(options, "options");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("job queue " + name + " is closed");
      }
      long now = clock.nanoTime();
      forgetExpiredKeys(now);
      String key = options.idempotencyKey();
      if (key != null) {
        Remembered seen = keys.get(key);
        if (seen != null) {
          duplicates++;
          return new Submission(seen.jobId(), true);
        }
      }
      Entry<P> entry = new Entry<>(UUID.randomUUID().toString(), payload, options, now, seq++);
      if (key != null) {
        keys.put(key, new Remembered(entry.id, now + deduplicationWindowNanos));
      }
      entry.dueNanos = now + Require.saturatedNanos(options.delay());
      (options.delay().isZero() ? ready : delayed).add(entry);
      submitted++;
      changed.signalAll();
      return new Submission(entry.id, false);
    } finally {
      lock.unlock();
    }
  }

  private void forgetExpiredKeys(long now) {
    Iterator<Remembered> oldest = keys.values().iterator();
    while (oldest.hasNext() && now - oldest.next().expiresNanos() >= 0) {
      oldest.remove();
    }
  }

  /** Moves the jobs due at {@code now} to the ready queue. Under the lock. */
  private void promoteDue(long now) {
    for (Entry<P> next = delayed.peek(); next != null && now - next.dueNanos >= 0; next = delayed.peek()) {
      ready.add(delayed.poll());
    }
  }

  /** The next due job for a worker of {@code owner}, waiting for one; null when the workers stop. */
  private @Nullable Entry<P> take(Workers owner) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (owner.stopping) {
          return null;
        }
        long now = clock.nanoTime();
        promoteDue(now);
        Entry<P> entry = ready.poll();
        if (entry != null) {
          entry.attempts++;
          lastToken = FencingToken.next(lastToken == 0 ? null : new FencingToken(lastToken), 0).value();
          entry.running = new FencingToken(lastToken);
          running++;
          owner.running++;
          started++;
          startLatencyNanos += Math.max(0, now - entry.dueNanos);
          return entry;
        }
        Entry<P> next = delayed.peek();
        if (next == null) {
          changed.await();
        } else {
          changed.awaitNanos(next.dueNanos - now);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * An attempt ended: acknowledged ({@code failure} null), or failed and then retried or dead-lettered. Ignored when
   * {@code token} is no longer the job's attempt (a drain gave the job back meanwhile): a stale outcome.
   *
   * @return whether the outcome counted
   */
  private boolean ended(Workers owner, Entry<P> entry, FencingToken token, @Nullable Throwable failure) {
    lock.lock();
    try {
      if (!token.equals(entry.running)) {
        log.debug("Job queue {}: stale outcome of job {} (attempt token {}) ignored", name, entry.id, token);
        return false;
      }
      entry.running = null;
      running--;
      owner.running--;
      if (failure == null) {
        succeeded++;
      } else {
        failed++;
        entry.lastFailure = failure.toString();
        long now = clock.nanoTime();
        long delay = entry.options.retry().backoff().delayNanos(entry.attempts);
        long deadline = Require.saturatedNanos(entry.options.retry().deadline());
        boolean inTime = deadline == 0 || now + delay - entry.submittedNanos <= deadline;
        if (entry.attempts < entry.options.retry().maxAttempts() && inTime) {
          entry.dueNanos = now + delay;
          delayed.add(entry);
          retried++;
        } else {
          bury(entry);
        }
      }
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void bury(Entry<P> entry) {
    dead.put(entry.id, entry);
    deadLettered++;
    while (dead.size() > maxDead) {
      Iterator<Entry<P>> oldest = dead.values().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * An attempt that does not count goes back to the queue: due after {@code afterNanos} (its group was at its limit),
   * or at once when 0 (a drain gave up on it).
   */
  private void putBack(Workers owner, Entry<P> entry, FencingToken token, long afterNanos) {
    lock.lock();
    try {
      if (!token.equals(entry.running)) {
        return;
      }
      entry.running = null;
      entry.attempts--;
      running--;
      owner.running--;
      entry.dueNanos = clock.nanoTime() + afterNanos;
      if (afterNanos == 0) {
        ready.add(entry);
      } else {
        deferred++;
        delayed.add(entry);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public JobWorkers work(int concurrency, JobHandler<P> handler, GroupLimits limits) {
    Require.positive(concurrency, "concurrency");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(limits, "limits");
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("job queue " + name + " is closed");
      }
    } finally {
      lock.unlock();
    }
    Workers started = new Workers(handler, new GroupGate(limits));
    workers.add(started);
    for (int i = 0; i < concurrency; i++) {
      Runnable loop = started::loop;
      if (executor != null) {
        executor.execute(loop);
      } else {
        scheduler.executeBlocking("jobs-" + name + "-" + i, loop);
      }
    }
    return started;
  }

  /** One {@link #work} call's workers. */
  private final class Workers implements JobWorkers {
    private final JobHandler<P> handler;
    private final GroupGate gate;
    /** Guarded by the queue's lock. */
    boolean stopping;
    /** Attempts of these workers under way; guarded by the queue's lock. */
    int running;
    /** The thread of each attempt under way, for a drain that runs out of time. */
    private final Map<Thread, Entry<P>> attempts = new ConcurrentHashMap<>();
    private final Map<Thread, FencingToken> tokens = new ConcurrentHashMap<>();

    Workers(JobHandler<P> handler, GroupGate gate) {
      this.handler = handler;
      this.gate = gate;
    }

    void loop() {
      Thread me = Thread.currentThread();
      while (true) {
        Entry<P> entry;
        try {
          entry = take(this);
        } catch (InterruptedException e) {
          return; // the drain is over, or the scheduler closed
        }
        if (entry == null) {
          return;
        }
        FencingToken token = Objects.requireNonNull(entry.running);
        String group = entry.options.group();
        long deferNanos = gate.enter(group);
        if (deferNanos > 0) {
          putBack(this, entry, token, deferNanos);
          continue;
        }
        attempts.put(me, entry);
        tokens.put(me, token);
        Throwable failure = null;
        try {
          handler.handle(new Job<>(entry.id, entry.payload, entry.attempts, token));
        } catch (Exception | Error e) {
          failure = e;
        } finally {
          attempts.remove(me);
          tokens.remove(me);
          gate.leave(group);
        }
        ended(this, entry, token, failure);
        if (Thread.interrupted() && isStopping()) {
          return;
        }
      }
    }

    private boolean isStopping() {
      lock.lock();
      try {
        return stopping;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int running() {
      lock.lock();
      try {
        return running;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean close(Duration deadline) {
      long waitNanos = Require.nonNegativeNanos(deadline, "deadline");
      long end = clock.nanoTime() + waitNanos;
      lock.lock();
      try {
        stopping = true;
        changed.signalAll();
        while (running > 0) {
          long remaining = end - clock.nanoTime();
          if (remaining <= 0) {
            break;
          }
          changed.awaitNanos(remaining);
        }
        if (running == 0) {
          workers.remove(this);
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
      // out of time: the attempts still running give their jobs back, and their threads are interrupted
      for (Map.Entry<Thread, Entry<P>> attempt : new HashMap<>(attempts).entrySet()) {
        FencingToken token = tokens.get(attempt.getKey());
        if (token != null) {
          putBack(this, attempt.getValue(), token, 0);
          attempt.getKey().interrupt();
        }
      }
      workers.remove(this);
      return false;
    }
  }

  @Override
  public List<DeadJob<P>> deadLetters(int limit) {
    Require.positive(limit, "limit");
    lock.lock();
    try {
      List<DeadJob<P>> list = new ArrayList<>(Math.min(limit, dead.size()));
      for (Entry<P> entry : dead.values()) {
        if (list.size() == limit) {
          break;
        }
        list.add(new DeadJob<>(entry.id, entry.payload, entry.attempts, entry.lastFailure));
      }
      return list;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean replay(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    lock.lock();
    try {
      Entry<P> entry = dead.remove(jobId);
      if (entry == null) {
        return false;
      }
      entry.attempts = 0;
      entry.dueNanos = clock.nanoTime();
      ready.add(entry);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public JobStats stats() {
    lock.lock();
    try {
      return new JobStats(ready.size() + delayed.size(), running, dead.size(), submitted, duplicates, succeeded,
          failed, retried, deadLettered, deferred, startLatencyNanos, started);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    for (Workers running : workers) {
      running.close();
    }
  }

  @Override
  public String toString() {
    JobStats stats = stats();
    return "JobQueue[" + name + ", " + stats.queued() + " queued, " + stats.running() + " running, " + stats.dead()
        + " dead]";
  }
}
