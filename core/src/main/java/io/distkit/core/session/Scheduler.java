package io.distkit.core.session;

import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs every piece of background work distkit does: lease renewals, polls, health probes, reconnects,
 * eviction, reconciliation. A primitive never starts a thread or an executor of its own; it takes a
 * {@code Scheduler} in its builder (default {@link #shared()}) and submits work here.
 *
 * <p>The interface is small on purpose (Caffeine's {@code Scheduler} is the model), so that a test can run
 * background work by hand ({@code ManualScheduler} in distkit-core's test-jar runs due tasks when its
 * {@code ManualClock} advances) and an application can put distkit's work on threads it already manages.
 *
 * <p>Three kinds of work:
 * <ul>
 *   <li>{@link #schedule(Runnable, long, TimeUnit)}: once, after a delay (and
 *       {@link #scheduleWithFixedDelay(Runnable, Duration, Duration)} built on it);
 *   <li>{@link #execute(Runnable)}: once, soon, off the caller's thread;
 *   <li>{@link #executeBlocking(String, Runnable)}: a task that blocks for a long time (a pub/sub connection's
 *       reader loop), which must not occupy a worker that timed tasks need.
 * </ul>
 *
 * <p>Tasks may block on Redis for up to the client's timeout; they must not block indefinitely except through
 * {@code executeBlocking}. A task that throws is logged at WARN and does not stop a repeating schedule.
 * Implementations must be thread-safe.
 */
public interface Scheduler extends AutoCloseable {

  /** A scheduled task, for cancelling it. */
  @FunctionalInterface
  interface Task {

    /** Stops the task from running (again). A run already under way finishes. Idempotent. */
    void cancel();
  }

  /**
   * Runs {@code task} once after {@code delay}, on a scheduler thread.
   *
   * @param task the work; an exception it throws is logged at WARN
   * @param delay how long to wait; zero or negative means as soon as possible
   * @param unit the unit of {@code delay}
   * @return a handle that cancels the run if it has not started
   */
  Task schedule(Runnable task, long delay, TimeUnit unit);

  /**
   * Runs {@code task} once, soon, on a scheduler thread (never the caller's).
   *
   * @param task the work; an exception it throws is logged at WARN
   */
  void execute(Runnable task);

  /**
   * Starts a task that blocks for a long time, such as a pub/sub reader loop, where it cannot hold up timed
   * work: on a thread of its own (a virtual thread where the JVM has them). {@link #close()} interrupts it.
   *
   * @param name a short name for the thread, e.g. {@code "pubsub"}; no credentials
   * @param task the loop; it should return when interrupted
   */
  void executeBlocking(String name, Runnable task);

  /**
   * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends (so runs never
   * overlap and a slow run pushes the next one back), until the returned handle is cancelled or the scheduler
   * closes. A run that throws is logged and the schedule goes on.
   *
   * @param task the work
   * @param initialDelay until the first run; zero or more
   * @param delay between the end of one run and the start of the next; positive
   * @return a handle that stops further runs
   */
  default Task scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
    Objects.requireNonNull(task, "task");
    long first = Math.max(0, Require.saturatedNanos(initialDelay));
    long next = Require.positiveNanos(delay, "delay");
    return Repeating.start(this, task, first, next);
  }

  /**
   * Stops the scheduler: pending timed tasks are dropped, running ones are interrupted, blocking tasks are
   * interrupted, and later submissions are ignored. Idempotent.
   */
  @Override
  void close();

  /**
   * A new scheduler with threads of its own, which {@link #close()} stops: one timer thread
   * ({@code distkit-<name>-timer}) that only hands due tasks over, and workers that run them: a virtual thread
   * per task on Java 21 and later, otherwise at most {@value DefaultScheduler#PLATFORM_WORKERS} platform
   * threads ({@code distkit-<name>-worker-N}) that end after 30 s idle. All threads are daemons.
   *
   * @param name a short name for the threads, e.g. {@code "cache"}
   * @return a running scheduler, owned by the caller
   */
  static Scheduler create(String name) {
    return new DefaultScheduler(Require.nonBlank(name, "name"), false);
  }

  /**
   * The scheduler every primitive uses unless given another: one per JVM, named {@code distkit}, built as by
   * {@link #create(String)} on first use. Its idle worker threads end on their own; its {@code close()} does
   * nothing, because it is shared.
   *
   * @return the shared scheduler
   */
  static Scheduler shared() {
    return DefaultScheduler.SHARED.get();
  }
}
