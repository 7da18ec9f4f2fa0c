package io.distkit.hashing.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Threads that each run one step after another until {@link #close()}, which waits for them and rethrows. */
final class Load implements AutoCloseable {

  /** One step of one thread. */
  @FunctionalInterface
  interface Step {
    /**
     * Runs step {@code n} of thread {@code thread}.
     *
     * @param thread 0 to threads - 1
     * @param n 0, 1, 2, ...
     */
    void run(int thread, long n);
  }

  private final AtomicBoolean stop = new AtomicBoolean();
  private final ExecutorService pool;
  private final List<Future<?>> running = new ArrayList<>();

  Load(int threads, Step step) {
    pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      running.add(pool.submit(() -> {
        for (long n = 0; !stop.get(); n++) {
          step.run(thread, n);
        }
        return null;
      }));
    }
  }

  /** Stops the threads after their current step and waits for them; rethrows what a step threw. */
  @Override
  public void close() throws ExecutionException, TimeoutException {
    stop.set(true);
    try {
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the load", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
