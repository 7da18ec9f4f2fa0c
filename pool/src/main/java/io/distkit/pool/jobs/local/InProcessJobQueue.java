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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LocalJobQueue}'s queue. One lock guards the queue's state; workers wait on one condition until the next job
 * is due, and a drain waits on another until its attempts end.
 *
 * <p>Three things keep the common path cheap (measured against a bare {@code ThreadPoolExecutor} by the benchmarks'
 * {@code JobQueueBenchmark}): a job due at once without an idempotency key is submitted without the lock, into a
 * lock-free inbox that workers (and {@link #stats()}) move into the ready jobs under the lock, and the submitter
 * takes the lock only to wake a waiting worker; a worker records an attempt's outcome and takes its next job in one
 * hold of the lock; and a waiting worker is woken only when there is a job for it ({@code signal}, never
 * {@code signalAll} but at a drain). Job ids are a random prefix per queue and a counter, not a SecureRandom UUID per
 * job.
 */
final class InProcessJobQueue<P> implements JobQueue<P> {

  private static final Logger log = LoggerFactory.getLogger(InProcessJobQueue.class);

  /** A submitted job. Guarded by the queue's lock once out of the inbox. */
  private static final class Entry<P> {
    final String id;
    final P payload;
    final JobOptions options;
    final int priority;
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
      this.priority = options.priority();
      this.submittedNanos = submittedNanos;
      this.seq = seq;
    }
  }

  /** Due jobs come out highest priority first, then in submission order. */
  private static int readyOrder(Entry<?> a, Entry<?> b) {
    int byPriority = Integer.compare(b.priority, a.priority);
    return byPriority != 0 ? byPriority : Long.compare(a.seq, b.seq);
  }

  /**
   * The due jobs, in {@link #readyOrder}. Jobs usually arrive in that order already (one priority, submission order):
   * those go to the tail of a FIFO lane, at no cost; a job that would overtake the lane's tail (a higher priority, a
   * delayed or retried job older than the newest ready one) goes to a heap. The next job is the smaller of the two
   * heads. Guarded by the queue's lock.
   */
  private static final class ReadyJobs<P> {
    private final ArrayDeque<Entry<P>> inOrder = new ArrayDeque<>();
    private final PriorityQueue<Entry<P>> others = new PriorityQueue<>(InProcessJobQueue::readyOrder);

    void add(Entry<P> entry) {
      Entry<P> last = inOrder.peekLast();
      if (last == null || readyOrder(last, entry) <= 0) {
        inOrder.addLast(entry);
      } else {
        others.add(entry);
      }
    }

    @Nullable Entry<P> poll() {
      Entry<P> other = others.peek();
      if (other == null) {
        return inOrder.pollFirst();
      }
      Entry<P> first = inOrder.peekFirst();
      return first == null || readyOrder(other, first) < 0 ? others.poll() : inOrder.pollFirst();
    }

    boolean isEmpty() {
      return inOrder.isEmpty() && others.isEmpty();
    }

    int size() {
      return inOrder.size() + others.size();
    }
  }

  private record Remembered(String jobId, long expiresNanos) {}

  private final String name;
  private final Clock clock;
  private final Scheduler scheduler;
  private final @Nullable Executor executor;
  private final long deduplicationWindowNanos;
  private final int maxDead;
  /**
   * The start of this queue's job ids, random per queue; a job's id is it followed by the job's sequence number.
   * Unique within the queue by the sequence, and across queues with overwhelming odds, at the cost of a counter
   * rather than {@code UUID.randomUUID()}'s SecureRandom call per submission.
   */
  private final String idPrefix;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when a job may be there for a waiting worker (a new one, a new soonest due time) and at a drain. */
  private final Condition available = lock.newCondition();
  /** Signalled when an attempt of stopping workers ends. */
  private final Condition attemptEnded = lock.newCondition();
  /** Jobs due at once submitted without the lock, not yet in {@link #ready}; submission counted when moved. */
  private final ConcurrentLinkedQueue<Entry<P>> inbox = new ConcurrentLinkedQueue<>();
  /**
   * Workers waiting on {@link #available}; written under the lock, read without it by submitters. A worker counts
   * itself before it looks at the inbox a last time, and a submitter reads it after adding to the inbox, so one of
   * them sees the other: the job is taken or the worker woken.
   */
  private volatile int waiting;
  /**
   * Of the {@link #waiting} workers, those signalled that have not yet taken the lock back (at most: a worker whose
   * wait timed out also counts one off). Such a worker looks at every job when it has the lock, so a new job needs
   * no other signal while there is one: without this count, every submission while a woken worker is on its way
   * would take the lock to signal again. Written under the lock, read without it by submitters.
   */
  private volatile int signalled;
  private volatile boolean closed;
  private final AtomicLong seq = new AtomicLong();
  /** Jobs not yet due, soonest first. */
  private final PriorityQueue<Entry<P>> delayed =
      new PriorityQueue<>(Comparator.<Entry<P>>comparingLong(e -> e.dueNanos).thenComparingLong(e -> e.seq));
  private final ReadyJobs<P> ready = new ReadyJobs<>();
  /** Idempotency keys in the order they were first seen (which is also the order they expire). */
  private final LinkedHashMap<String, Remembered> keys = new LinkedHashMap<>();
  private final LinkedHashMap<String, Entry<P>> dead = new LinkedHashMap<>();
  private final List<Workers> workers = new CopyOnWriteArrayList<>();
  /** Written on every take and outcome: an object of its own, off the cache lines submitters read. */
  private final Counts counts = new Counts();

  /** The counts of {@link #stats()} and the last fencing token. Guarded by the queue's lock. */
  private static final class Counts {
    long lastToken;
    int running;
    long submitted;
    long duplicates;
    long succeeded;
    long failed;
    long retried;
    long deadLettered;
    long deferred;
    long startLatencyNanos;
    long started;
  }

  InProcessJobQueue(LocalJobQueue.Builder<P> settings) {
    this.name = settings.name;
    this.clock = settings.clock;
    this.scheduler = settings.scheduler;
    this.executor = settings.executor;
    this.deduplicationWindowNanos = settings.deduplicationWindowNanos;
    this.maxDead = settings.maxDead;
    UUID random = UUID.randomUUID();
    this.idPrefix = Long.toHexString(random.getMostSignificantBits() ^ random.getLeastSignificantBits()) + "-";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Submission submit(P payload, JobOptions options) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw closedException();
    }
    String key = options.idempotencyKey();
    if (key == null && options.delay().isZero()) {
      long now = clock.nanoTime();
      Entry<P> entry = newEntry(payload, options, now);
      inbox.add(entry);
      if (waiting > signalled) {
        lock.lock();
        try {
          wakeOne();
        } finally {
          lock.unlock();
        }
      }
      return new Submission(entry.id, false);
    }
    lock.lock();
    try {
      if (closed) {
        throw closedException();
      }
      long now = clock.nanoTime();
      forgetExpiredKeys(now);
      if (key != null) {
        Remembered seen = keys.get(key);
        if (seen != null) {
          counts.duplicates++;
          return new Submission(seen.jobId(), true);
        }
      }
      Entry<P> entry = newEntry(payload, options, now);
      if (key != null) {
        keys.put(key, new Remembered(entry.id, now + deduplicationWindowNanos));
      }
      counts.submitted++;
      if (options.delay().isZero()) {
        ready.add(entry);
        wakeOne();
      } else {
        entry.dueNanos = now + Require.saturatedNanos(options.delay());
        addDelayed(entry);
      }
      return new Submission(entry.id, false);
    } finally {
      lock.unlock();
    }
  }

  private Entry<P> newEntry(P payload, JobOptions options, long now) {
    long number = seq.getAndIncrement();
    Entry<P> entry = new Entry<>(idPrefix + number, payload, options, now, number);
    entry.dueNanos = now;
    return entry;
  }

  private IllegalStateException closedException() {
    return new IllegalStateException("job queue " + name + " is closed");
  }

  private void forgetExpiredKeys(long now) {
    if (keys.isEmpty()) {
      return;
    }
    Iterator<Remembered> oldest = keys.values().iterator();
    while (oldest.hasNext() && now - oldest.next().expiresNanos() >= 0) {
      oldest.remove();
    }
  }

  /** Wakes one waiting worker, unless none waits or one is already on its way. Under the lock. */
  private void wakeOne() {
    if (waiting > signalled) {
      signalled++;
      available.signal();
    }
  }

  /** Adds a job not yet due; a new soonest due time wakes a worker to wait for it instead. Under the lock. */
  private void addDelayed(Entry<P> entry) {
    delayed.add(entry);
    if (delayed.peek() == entry) {
      wakeOne();
    }
  }

  /** Moves the jobs submitted without the lock to the ready jobs. Under the lock. */
  private void drainInbox() {
    for (Entry<P> entry = inbox.poll(); entry != null; entry = inbox.poll()) {
      ready.add(entry);
      counts.submitted++;
    }
  }

  /** Moves the jobs due at {@code now} to the ready jobs. Under the lock. */
  private void promoteDue(long now) {
    for (Entry<P> next = delayed.peek(); next != null && now - next.dueNanos >= 0; next = delayed.peek()) {
      ready.add(delayed.poll());
    }
  }

  /**
   * The next due job for {@code worker}, waiting for one; null when its workers stop. Under the lock.
   */
  private @Nullable Entry<P> take(Worker worker) throws InterruptedException {
    Workers owner = worker.owner;
    while (true) {
      if (owner.stopping) {
        return null;
      }
      drainInbox();
      long now = clock.nanoTime();
      promoteDue(now);
      Entry<P> entry = ready.poll();
      if (entry != null) {
        entry.attempts++;
        entry.running = new FencingToken(++counts.lastToken);
        worker.attempt = entry;
        counts.running++;
        owner.running++;
        counts.started++;
        counts.startLatencyNanos += Math.max(0, now - entry.dueNanos);
        if (!ready.isEmpty()) {
          wakeOne(); // more due jobs: another waiting worker takes the next
        }
        return entry;
      }
      waiting++;
      if (!inbox.isEmpty()) {
        waiting--;
        continue; // a job submitted before this worker counted itself as waiting
      }
      try {
        Entry<P> next = delayed.peek();
        if (next == null) {
          available.await();
        } else {
          available.awaitNanos(next.dueNanos - now);
        }
      } finally {
        waiting--;
        if (signalled > 0) {
          signalled--;
        }
      }
    }
  }

  /**
   * An attempt ended: acknowledged ({@code failure} null), or failed and then retried or dead-lettered. Ignored when
   * {@code token} is no longer the job's attempt (a drain gave the job back meanwhile): a stale outcome. Under the
   * lock.
   *
   * @return whether the outcome counted
   */
  private boolean ended(Worker worker, Entry<P> entry, FencingToken token, @Nullable Throwable failure) {
    if (!token.equals(entry.running)) {
      log.debug("Job queue {}: stale outcome of job {} (attempt token {}) ignored", name, entry.id, token);
      return false;
    }
    Workers owner = worker.owner;
    worker.attempt = null;
    entry.running = null;
    counts.running--;
    owner.running--;
    if (owner.stopping) {
      attemptEnded.signalAll();
    }
    if (failure == null) {
      counts.succeeded++;
    } else {
      counts.failed++;
      entry.lastFailure = failure.toString();
      long now = clock.nanoTime();
      long delay = entry.options.retry().backoff().delayNanos(entry.attempts);
      long deadline = Require.saturatedNanos(entry.options.retry().deadline());
      boolean inTime = deadline == 0 || now + delay - entry.submittedNanos <= deadline;
      if (entry.attempts < entry.options.retry().maxAttempts() && inTime) {
        entry.dueNanos = now + delay;
        addDelayed(entry);
        counts.retried++;
      } else {
        bury(entry);
      }
    }
    return true;
  }

  private void bury(Entry<P> entry) {
    dead.put(entry.id, entry);
    counts.deadLettered++;
    while (dead.size() > maxDead) {
      Iterator<Entry<P>> oldest = dead.values().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * A drain gave up on an attempt: the job goes back to the queue, due at once, that attempt not counted. Under the
   * lock.
   */
  private void giveBack(Workers owner, Entry<P> entry) {
    entry.running = null;
    entry.attempts--;
    counts.running--;
    owner.running--;
    entry.dueNanos = clock.nanoTime();
    ready.add(entry);
    wakeOne();
  }

  /**
   * A job whose group was at its limit goes back to the queue, due after {@code afterNanos}, the attempt not counted;
   * nothing when a drain gave it back meanwhile. Under the lock.
   */
  private void defer(Worker worker, Entry<P> entry, FencingToken token, long afterNanos) {
    if (!token.equals(entry.running)) {
      return;
    }
    Workers owner = worker.owner;
    worker.attempt = null;
    entry.running = null;
    entry.attempts--;
    counts.running--;
    owner.running--;
    counts.deferred++;
    if (owner.stopping) {
      attemptEnded.signalAll();
    }
    entry.dueNanos = clock.nanoTime() + afterNanos;
    addDelayed(entry);
  }

  @Override
  public JobWorkers work(int concurrency, JobHandler<P> handler, GroupLimits limits) {
    Require.positive(concurrency, "concurrency");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(limits, "limits");
    if (closed) {
      throw closedException();
    }
    Workers started = new Workers(handler, new GroupGate(limits));
    workers.add(started);
    for (int i = 0; i < concurrency; i++) {
      Runnable loop = new Worker(started)::loop;
      if (executor != null) {
        executor.execute(loop);
      } else {
        scheduler.executeBlocking("jobs-" + name + "-" + i, loop);
      }
    }
    return started;
  }

  /** One worker: a loop on its own thread that takes a job, runs it, and records the outcome. */
  private final class Worker {
    final Workers owner;
    /** The thread of the loop; set when it starts, under the lock. */
    @Nullable Thread thread;
    /** The job of the attempt under way, whose outcome is not recorded yet; guarded by the queue's lock. */
    @Nullable Entry<P> attempt;

    Worker(Workers owner) {
      this.owner = owner;
    }

    void loop() {
      Entry<P> entry;
      lock.lock();
      try {
        thread = Thread.currentThread();
        owner.loops.add(this);
        entry = take(this);
      } catch (InterruptedException e) {
        return; // the drain is over, or the scheduler closed
      } finally {
        lock.unlock();
      }
      while (entry != null) {
        FencingToken token = Objects.requireNonNull(entry.running);
        GroupGate.Pass pass = owner.gate.enter(entry.options.group());
        long deferNanos = pass.deferNanos();
        Throwable failure = null;
        if (deferNanos == 0) {
          try {
            owner.handler.handle(new Job<>(entry.id, entry.payload, entry.attempts, token));
          } catch (Exception | Error e) {
            failure = e;
          } finally {
            pass.leave();
          }
        }
        // the outcome and the next take in one hold of the lock
        lock.lock();
        try {
          if (deferNanos > 0) {
            defer(this, entry, token, deferNanos);
          } else {
            ended(this, entry, token, failure);
          }
          // an interrupt meant for the attempt (a drain that ran out of time) must not end a wait of the next take
          Thread.interrupted();
          entry = take(this);
        } catch (InterruptedException e) {
          return; // the drain is over, or the scheduler closed
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** One {@link #work} call's workers. */
  private final class Workers implements JobWorkers {
    final JobHandler<P> handler;
    final GroupGate gate;
    /** Guarded by the queue's lock. */
    boolean stopping;
    /** Attempts of these workers under way; guarded by the queue's lock. */
    int running;
    /** The workers whose loop started; guarded by the queue's lock. */
    final List<Worker> loops = new ArrayList<>();

    Workers(JobHandler<P> handler, GroupGate gate) {
      this.handler = handler;
      this.gate = gate;
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
      List<Thread> interrupt = new ArrayList<>();
      lock.lock();
      try {
        stopping = true;
        available.signalAll();
        while (running > 0) {
          long remaining = end - clock.nanoTime();
          if (remaining <= 0) {
            break;
          }
          attemptEnded.awaitNanos(remaining);
        }
        if (running == 0) {
          workers.remove(this);
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        // out of time (or interrupted): the attempts still running give their jobs back, and their threads are
        // interrupted; their outcomes, when they come, are stale
        for (Worker worker : loops) {
          Entry<P> attempt = worker.attempt;
          if (attempt != null) {
            worker.attempt = null;
            giveBack(this, attempt);
            interrupt.add(Objects.requireNonNull(worker.thread));
          }
        }
        lock.unlock();
      }
      interrupt.forEach(Thread::interrupt);
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
      wakeOne();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public JobStats stats() {
    lock.lock();
    try {
      drainInbox();
      return new JobStats(ready.size() + delayed.size(), counts.running, dead.size(), counts.submitted,
          counts.duplicates, counts.succeeded, counts.failed, counts.retried, counts.deadLettered, counts.deferred,
          counts.startLatencyNanos, counts.started);
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
