package io.distkit.core.session;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler#create(String)} and {@link Scheduler#shared()}: one timer thread that only hands due tasks
 * to workers, so a slow task never delays the timing of others; workers are virtual threads where the JVM has
 * them (Java 21+), else a few platform threads that end when idle.
 */
final class DefaultScheduler implements Scheduler {

  /** Platform worker threads at most, when there are no virtual threads. */
  static final int PLATFORM_WORKERS = 4;

  private static final long IDLE_SECONDS = 30;

  private static final Logger log = LoggerFactory.getLogger(DefaultScheduler.class);

  /** The shared scheduler, created on first use. */
  static final Supplier<Scheduler> SHARED = new Supplier<>() {
    private volatile @Nullable Scheduler instance;

    @Override
    public Scheduler get() {
      Scheduler result = instance;
      if (result == null) {
        synchronized (this) { // no I/O inside: creating a scheduler starts no thread
          result = instance;
          if (result == null) {
            result = new DefaultScheduler("shared", true);
            instance = result;
          }
        }
      }
      return result;
    }
  };

  private final String name;
  private final boolean shared;
  private final ScheduledThreadPoolExecutor timer;
  private final @Nullable ThreadFactory virtualWorkers;
  private final @Nullable ThreadPoolExecutor platformWorkers;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private final AtomicInteger blockingCount = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  DefaultScheduler(String name, boolean shared) {
    this.name = name;
    this.shared = shared;
    this.timer = new ScheduledThreadPoolExecutor(1, platformFactory("distkit-" + name + "-timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.virtualWorkers = VirtualThreads.factory("distkit-" + name + "-worker-", true).orElse(null);
    if (virtualWorkers == null) {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(PLATFORM_WORKERS, PLATFORM_WORKERS, IDLE_SECONDS,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(), platformFactory("distkit-" + name + "-worker-"));
      pool.allowCoreThreadTimeOut(true);
      this.platformWorkers = pool;
    } else {
      this.platformWorkers = null;
    }
  }

  private static ThreadFactory platformFactory(String prefix) {
    AtomicInteger count = new AtomicInteger();
    boolean numbered = prefix.endsWith("-");
    return task -> {
      Thread thread = new Thread(task, numbered ? prefix + count.incrementAndGet() : prefix);
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public Task schedule(Runnable task, long delay, TimeUnit unit) {
    Once once = new Once(task);
    if (delay <= 0) {
      execute(once);
      return once;
    }
    try {
      once.timer = timer.schedule(() -> execute(once), delay, unit);
    } catch (RejectedExecutionException e) {
      log.debug("Scheduler {} is closed; dropping {}", name, task);
    }
    return once;
  }

  @Override
  public void execute(Runnable task) {
    Runnable guarded = () -> runGuarded(task);
    try {
      if (virtualWorkers != null) {
        if (closed.get()) {
          throw new RejectedExecutionException("closed");
        }
        virtualWorkers.newThread(guarded).start();
      } else {
        platformWorkers.execute(guarded);
      }
    } catch (RejectedExecutionException e) {
      log.debug("Scheduler {} is closed; dropping {}", name, task);
    }
  }

  @Override
  public void executeBlocking(String threadName, Runnable task) {
    if (closed.get()) {
      log.debug("Scheduler {} is closed; not starting {}", name, threadName);
      return;
    }
    String full = "distkit-" + name + "-" + threadName + "-" + blockingCount.incrementAndGet();
    Runnable guarded = () -> runGuarded(task);
    Thread thread = VirtualThreads.factory(full, false).map(f -> f.newThread(guarded))
        .orElseGet(() -> platformFactory(full).newThread(guarded));
    thread.start();
  }

  private void runGuarded(Runnable task) {
    Thread me = Thread.currentThread();
    running.add(me);
    try {
      if (!closed.get()) {
        task.run();
      }
    } catch (RuntimeException | Error e) {
      log.warn("Background task {} on scheduler {} threw", task, name, e);
      if (e instanceof VirtualMachineError vm) {
        throw vm;
      }
    } finally {
      running.remove(me);
    }
  }

  @Override
  public void close() {
    if (shared || !closed.compareAndSet(false, true)) {
      return;
    }
    timer.shutdownNow();
    if (platformWorkers != null) {
      platformWorkers.shutdownNow();
    }
    for (Thread thread : running) {
      thread.interrupt();
    }
    log.debug("Scheduler {} closed", name);
  }

  @Override
  public String toString() {
    return "Scheduler[" + name + (virtualWorkers != null ? ", virtual workers" : ", platform workers")
        + (closed.get() ? ", closed" : "") + "]";
  }

  /** A one-shot task: cancelling it stops it whether it still waits in the timer or in the workers' queue. */
  private static final class Once implements Runnable, Task {
    private final Runnable task;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    volatile @Nullable ScheduledFuture<?> timer;

    Once(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      if (!cancelled.get()) {
        task.run();
      }
    }

    @Override
    public void cancel() {
      cancelled.set(true);
      ScheduledFuture<?> pending = timer;
      if (pending != null) {
        pending.cancel(false);
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  /** Virtual threads through reflection: distkit compiles for Java 17, which has none. */
  static final class VirtualThreads {
    private static final @Nullable Method OF_VIRTUAL;
    private static final @Nullable Method NAME;
    private static final @Nullable Method NAME_NUMBERED;
    private static final @Nullable Method FACTORY;

    static {
      Method ofVirtual = null;
      Method name = null;
      Method numbered = null;
      Method factory = null;
      try {
        ofVirtual = Thread.class.getMethod("ofVirtual");
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        name = builder.getMethod("name", String.class);
        numbered = builder.getMethod("name", String.class, long.class);
        factory = builder.getMethod("factory");
      } catch (ReflectiveOperationException | LinkageError e) {
        ofVirtual = null; // Java 17 to 20
      }
      OF_VIRTUAL = ofVirtual;
      NAME = name;
      NAME_NUMBERED = numbered;
      FACTORY = factory;
    }

    private VirtualThreads() {}

    static boolean available() {
      return OF_VIRTUAL != null;
    }

    /**
     * A factory of virtual threads named {@code name}, or {@code name} followed by 1, 2, 3... when
     * {@code numbered}; empty before Java 21.
     */
    static Optional<ThreadFactory> factory(String name, boolean numbered) {
      if (OF_VIRTUAL == null || NAME == null || NAME_NUMBERED == null || FACTORY == null) {
        return Optional.empty();
      }
      try {
        Object builder = numbered ? NAME_NUMBERED.invoke(OF_VIRTUAL.invoke(null), name, 1L)
            : NAME.invoke(OF_VIRTUAL.invoke(null), name);
        return Optional.of((ThreadFactory) FACTORY.invoke(builder));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
