package io.distkit.core.testing;

import io.distkit.core.session.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} whose timed work runs only when a test lets time pass, so background behaviour (lease
 * renewals, reconnects, probes) is tested without waiting.
 *
 * <p>Tasks run on the thread that moves time: {@link #advance(Duration)} steps the {@link ManualClock} from one
 * due time to the next and runs each task at its own due time, in due order (ties in submission order);
 * advancing the clock directly ({@code clock.advance(...)}, or a {@link ManualSleeper}) runs whatever is due
 * at the new time; {@link #runDue()} runs what is due now, including {@link #execute(Runnable)}d tasks, which
 * are due at once but never run on the submitting thread.
 *
 * <p>{@link #executeBlocking(String, Runnable)} starts a real daemon thread: a blocking task (a pub/sub
 * reader) waits on the network, which no clock can drive. What it schedules runs on the manual clock again.
 *
 * <p>A task that throws is logged and kept in {@link #failures()}. Thread-safe; tasks never run concurrently
 * with each other.
 */
public final class ManualScheduler implements Scheduler {

  private static final Logger log = LoggerFactory.getLogger(ManualScheduler.class);

  private final ManualClock clock;
  private final ReentrantLock queueLock = new ReentrantLock();
  private final ReentrantLock runLock = new ReentrantLock();
  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private final Set<Thread> blocking = ConcurrentHashMap.newKeySet();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private long sequence;
  private volatile long ran;

  /**
   * A scheduler driven by {@code clock}: advancing the clock runs due tasks.
   *
   * @param clock the test's clock
   */
  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
    clock.onAdvance(this::runDue);
  }

  private final class Entry implements Comparable<Entry>, Task {
    final long dueNanos;
    final long order;
    final Runnable task;
    volatile boolean cancelled;

    Entry(long dueNanos, long order, Runnable task) {
      this.dueNanos = dueNanos;
      this.order = order;
      this.task = task;
    }

    @Override
    public int compareTo(Entry other) {
      int byTime = Long.compare(dueNanos - clock.nanoTime(), other.dueNanos - clock.nanoTime());
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }

    @Override
    public void cancel() {
      cancelled = true;
      queueLock.lock();
      try {
        queue.remove(this);
      } finally {
        queueLock.unlock();
      }
    }

    @Override
    public String toString() {
      return task + " due in " + Duration.ofNanos(dueNanos - clock.nanoTime()).toMillis() + " ms";
    }
  }

  @Override
  public Task schedule(Runnable task, long delay, TimeUnit unit) {
    long delayNanos = Math.max(0, unit.toNanos(delay));
    queueLock.lock();
    try {
      Entry entry = new Entry(clock.nanoTime() + delayNanos, sequence++, task);
      if (!closed.get()) {
        queue.add(entry);
      }
      return entry;
    } finally {
      queueLock.unlock();
    }
  }

  @Override
  public void execute(Runnable task) {
    schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void executeBlocking(String name, Runnable task) {
    if (closed.get()) {
      return;
    }
    Thread thread = new Thread(() -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        failures.add(e);
        log.warn("Blocking task {} threw", name, e);
      } finally {
        blocking.remove(Thread.currentThread());
      }
    }, "manual-scheduler-" + name);
    thread.setDaemon(true);
    blocking.add(thread);
    thread.start();
  }

  /**
   * Runs every task due at the clock's current time, in due order, including tasks those tasks schedule
   * with no delay. Called from inside a task, it does nothing (the outer run picks them up).
   *
   * @return how many tasks ran
   */
  public int runDue() {
    if (runLock.isHeldByCurrentThread()) {
      return 0;
    }
    runLock.lock();
    try {
      int count = 0;
      for (Entry next = pollDue(); next != null; next = pollDue()) {
        runOne(next);
        count++;
      }
      return count;
    } finally {
      runLock.unlock();
    }
  }

  /**
   * Moves the clock forward by {@code amount}, stopping at each due time on the way to run what is due then.
   *
   * @param amount how far to move; not negative
   * @return how many tasks ran
   */
  public int advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount (" + amount + ") must not be negative");
    }
    if (runLock.isHeldByCurrentThread()) {
      throw new IllegalStateException("advance() called from a task of this scheduler");
    }
    long target = clock.nanoTime() + amount.toNanos();
    int count = 0;
    runLock.lock(); // the clock's hook sees the lock held and leaves the stepping to us
    try {
      while (true) {
        Entry next = peek();
        if (next == null || next.dueNanos - target > 0) {
          break;
        }
        long step = next.dueNanos - clock.nanoTime();
        if (step > 0) {
          clock.advance(Duration.ofNanos(step));
        }
        for (Entry due = pollDue(); due != null; due = pollDue()) {
          runOne(due);
          count++;
        }
      }
      long rest = target - clock.nanoTime();
      if (rest > 0) {
        clock.advance(Duration.ofNanos(rest));
      }
    } finally {
      runLock.unlock();
    }
    return count + runDue();
  }

  private Entry peek() {
    queueLock.lock();
    try {
      return queue.peek();
    } finally {
      queueLock.unlock();
    }
  }

  private Entry pollDue() {
    queueLock.lock();
    try {
      Entry head = queue.peek();
      if (head == null || head.dueNanos - clock.nanoTime() > 0) {
        return null;
      }
      return queue.poll();
    } finally {
      queueLock.unlock();
    }
  }

  private void runOne(Entry entry) {
    if (entry.cancelled || closed.get()) {
      return;
    }
    ran++;
    try {
      entry.task.run();
    } catch (RuntimeException | AssertionError e) {
      failures.add(e);
      log.warn("Task {} threw", entry.task, e);
    }
  }

  /**
   * How many tasks wait, due or not.
   *
   * @return the queue's size
   */
  public int pending() {
    queueLock.lock();
    try {
      return queue.size();
    } finally {
      queueLock.unlock();
    }
  }

  /**
   * How long until the next task is due.
   *
   * @return the time from now to the earliest due time (zero if overdue), or empty when nothing waits
   */
  public Optional<Duration> nextDue() {
    Entry next = peek();
    return next == null ? Optional.empty()
        : Optional.of(Duration.ofNanos(Math.max(0, next.dueNanos - clock.nanoTime())));
  }

  /**
   * How many tasks have run so far.
   *
   * @return the count, cancelled tasks excluded
   */
  public long ran() {
    return ran;
  }

  /**
   * What tasks threw so far, in order.
   *
   * @return the exceptions
   */
  public List<Throwable> failures() {
    return new ArrayList<>(failures);
  }

  /**
   * The clock that drives this scheduler.
   *
   * @return the clock given at construction
   */
  public ManualClock clock() {
    return clock;
  }

  /** Drops every pending task, ignores later ones and interrupts blocking tasks. */
  @Override
  public void close() {
    closed.set(true);
    queueLock.lock();
    try {
      queue.clear();
    } finally {
      queueLock.unlock();
    }
    blocking.forEach(Thread::interrupt);
  }

  @Override
  public String toString() {
    return "ManualScheduler[" + pending() + " pending, " + clock + "]";
  }
}
