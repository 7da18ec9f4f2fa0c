package io.distkit.benchmarks.locks;

import io.distkit.benchmarks.profile.LatencyHistogram;
import io.distkit.benchmarks.profile.TrialFigures;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the threads contending for one lock see, recorded by the holder of the moment: the hand-off latency (from
 * the start of a holder's release call to the return of the next holder's acquire call), each caller's wait, and
 * how many grants went back to the thread that had released last. All threads run in one JVM, so their
 * {@link System#nanoTime()} readings compare.
 *
 * <p>Each release consumes its start time once ({@code getAndSet}): a grant that finds none (the first of an
 * iteration) times nothing. Recording does not rely on the lock under test for its own safety (atomics
 * throughout), and it checks the lock: a grant while another thread of the trial holds the lock fails the
 * benchmark rather than produce numbers for a lock that excludes nobody.
 */
final class HandOffRecorder implements TrialFigures {

  private static final long NONE = Long.MIN_VALUE;
  private static final int NOBODY = -1;

  private final AtomicLong releaseStarted = new AtomicLong(NONE);
  private final AtomicInteger holders = new AtomicInteger();
  private volatile int lastReleaser = NOBODY;
  private final LatencyHistogram handOffs = new LatencyHistogram();
  private final LatencyHistogram waits = new LatencyHistogram();
  private final AtomicLong grants = new AtomicLong();
  private final AtomicLong toReleaser = new AtomicLong();

  /** Forgets the last release between iterations: the next grant would otherwise time the pause between them. */
  void newIteration() {
    releaseStarted.set(NONE);
    lastReleaser = NOBODY;
  }

  /**
   * A thread's acquire call returned with the lock.
   *
   * @param thread the thread's number in the trial
   * @param askedAt {@link System#nanoTime()} when it called acquire
   * @throws IllegalStateException when another thread holds the lock too
   */
  void granted(int thread, long askedAt) {
    long now = System.nanoTime();
    if (holders.incrementAndGet() != 1) {
      throw new IllegalStateException("thread " + thread + " was granted the lock while another thread held it");
    }
    long released = releaseStarted.getAndSet(NONE);
    grants.incrementAndGet();
    waits.record(now - askedAt);
    if (released == NONE) {
      return;
    }
    if (thread == lastReleaser) {
      toReleaser.incrementAndGet(); // the releasing thread asked again and got it back: no hand-off
    } else {
      handOffs.record(now - released);
    }
  }

  /**
   * A holder is about to call release.
   *
   * @param thread the thread's number in the trial
   */
  void releasing(int thread) {
    holders.decrementAndGet();
    lastReleaser = thread; // before the time: a grantee that reads the time sees the releaser of that time
    releaseStarted.set(System.nanoTime());
  }

  @Override
  public void reset() {
    handOffs.reset();
    waits.reset();
    grants.set(0);
    toReleaser.set(0);
  }

  @Override
  public List<Figure> figures() {
    long all = grants.get();
    return List.of(
        new Figure("handoff.p50", micros(handOffs.percentileNanos(0.50)), "us"),
        new Figure("handoff.p99", micros(handOffs.percentileNanos(0.99)), "us"),
        new Figure("handoff.max", handOffs.count() == 0 ? Double.NaN : micros(handOffs.maxNanos()), "us"),
        new Figure("handoff.count", handOffs.count(), "#"),
        new Figure("regrants", all == 0 ? Double.NaN : 100.0 * toReleaser.get() / all, "%"),
        new Figure("wait.p99", micros(waits.percentileNanos(0.99)), "us"),
        new Figure("wait.max", waits.count() == 0 ? Double.NaN : micros(waits.maxNanos()), "us"));
  }

  private static double micros(double nanos) {
    return nanos / TimeUnit.MICROSECONDS.toNanos(1);
  }
}
