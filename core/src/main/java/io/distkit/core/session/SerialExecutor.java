package io.distkit.core.session;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a {@link Scheduler}'s workers: for a primitive whose
 * background steps must not overlap or reorder (a membership applying reads in the order it made them), without
 * a thread of its own.
 *
 * <p>At most one task of this executor runs at any moment, and tasks start in the order
 * {@link #execute(Runnable)} was called; a task that throws is logged at WARN and the next one runs. Cost: one
 * queue node per task and one scheduler hand-off per burst of tasks. Thread-safe and lock-free.
 */
public final class SerialExecutor implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final Scheduler scheduler;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  /**
   * An executor that runs its tasks on {@code scheduler}, one at a time.
   *
   * @param scheduler where the tasks run
   */
  public SerialExecutor(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    if (draining.compareAndSet(false, true)) {
      scheduler.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Runnable next = tasks.poll();
      if (next == null) {
        draining.set(false);
        // a task added between the poll and the reset would wait for nobody: take it on
        if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        log.warn("Serial task {} threw; the next one runs", next, e);
      }
    }
  }

  @Override
  public String toString() {
    return "SerialExecutor[" + tasks.size() + " queued on " + scheduler + "]";
  }
}
