package io.distkit.benchmarks.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The no-op job of {@link JobQueueBenchmark} and its completion accounting, the same for every implementation: the
 * submitting thread {@linkplain #expect expects} a number of runs, submits this job that many times and
 * {@linkplain #await awaits} them; each run counts down, and the last one wakes the submitter. One atomic decrement
 * per run, shared by the workers, and one wake-up per batch.
 */
public final class JobBatch implements Runnable {

  /** How long a batch may take before the benchmark fails: a lost job would otherwise hang it. */
  public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final AtomicInteger remaining = new AtomicInteger();
  private volatile @Nullable Thread waiter;

  /** A batch with nothing expected. */
  public JobBatch() {}

  /**
   * Starts a batch: the calling thread will await {@code runs} runs.
   *
   * @param runs how many runs make the batch
   */
  public void expect(int runs) {
    waiter = Thread.currentThread();
    remaining.set(runs);
  }

  /** One run: counts down, and wakes the submitter when the batch is complete. */
  @Override
  public void run() {
    if (remaining.decrementAndGet() == 0) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * Waits until every run of the batch happened.
   *
   * @throws IllegalStateException when they did not within {@link #TIMEOUT_NANOS}: a job was lost
   */
  public void await() {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    int left;
    while ((left = remaining.get()) > 0) {
      long wait = deadline - System.nanoTime();
      if (wait <= 0) {
        throw new IllegalStateException(left + " jobs of the batch did not run within 30 s");
      }
      LockSupport.parkNanos(this, wait);
    }
  }
}
