package io.distkit.core.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Scheduler#scheduleWithFixedDelay}: reschedules itself after each run until cancelled. */
final class Repeating implements Runnable, Scheduler.Task {

  private static final Logger log = LoggerFactory.getLogger(Repeating.class);

  private final Scheduler scheduler;
  private final Runnable task;
  private final long delayNanos;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicReference<Scheduler.@Nullable Task> next = new AtomicReference<>();

  private Repeating(Scheduler scheduler, Runnable task, long delayNanos) {
    this.scheduler = scheduler;
    this.task = task;
    this.delayNanos = delayNanos;
  }

  static Repeating start(Scheduler scheduler, Runnable task, long firstNanos, long delayNanos) {
    Repeating repeating = new Repeating(scheduler, task, delayNanos);
    repeating.next.set(scheduler.schedule(repeating, firstNanos, TimeUnit.NANOSECONDS));
    return repeating;
  }

  @Override
  public void run() {
    if (cancelled.get()) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.warn("Repeating task {} threw; it runs again in {} ms", task, TimeUnit.NANOSECONDS.toMillis(delayNanos), e);
      if (e instanceof VirtualMachineError vm) {
        throw vm;
      }
    }
    if (!cancelled.get()) {
      next.set(scheduler.schedule(this, delayNanos, TimeUnit.NANOSECONDS));
      if (cancelled.get()) {
        cancel(); // cancelled while we were rescheduling: make sure the new run is dropped too
      }
    }
  }

  @Override
  public void cancel() {
    cancelled.set(true);
    Scheduler.Task pending = next.get();
    if (pending != null) {
      pending.cancel();
    }
  }

  @Override
  public String toString() {
    return "Repeating[" + task + " every " + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms]";
  }
}
