package io.distkit.benchmarks.cache;

import io.distkit.benchmarks.profile.LatencyHistogram;
import io.distkit.benchmarks.profile.TrialFigures;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The invalidation delays of one trial of {@link InvalidationLatencyBenchmark}: from a write's acknowledgement to
 * the end of the first read through the other client that returned the new value, and how many reads that took.
 * One thread records.
 */
final class DelayRecorder implements TrialFigures {

  private final LatencyHistogram delays = new LatencyHistogram();
  private long reads;

  /**
   * One write made visible.
   *
   * @param nanos from the write's return to the return of the read that saw it
   * @param readsTaken the reads through the other client, the last one included
   */
  void seen(long nanos, int readsTaken) {
    delays.record(nanos);
    reads += readsTaken;
  }

  @Override
  public void reset() {
    delays.reset();
    reads = 0;
  }

  @Override
  public List<Figure> figures() {
    long count = delays.count();
    return List.of(
        new Figure("delay.p50", micros(delays.percentileNanos(0.50)), "us"),
        new Figure("delay.p99", micros(delays.percentileNanos(0.99)), "us"),
        new Figure("delay.max", count == 0 ? Double.NaN : micros(delays.maxNanos()), "us"),
        new Figure("delay.count", count, "#"),
        new Figure("reads", count == 0 ? Double.NaN : (double) reads / count, "per write"));
  }

  private static double micros(double nanos) {
    return nanos / TimeUnit.MICROSECONDS.toNanos(1);
  }
}
