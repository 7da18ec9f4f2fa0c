package io.distkit.benchmarks.pool;

import io.distkit.benchmarks.profile.LatencyHistogram;
import io.distkit.benchmarks.profile.TrialFigures;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The enqueue-to-start latencies of one trial of {@link RedisJobLatencyBenchmark}: from just before a job's
 * submission call to the start of its handler, both read with {@link System#nanoTime()} in the one JVM. Workers
 * record concurrently.
 */
final class StartRecorder implements TrialFigures {

  private final LatencyHistogram starts = new LatencyHistogram();

  /**
   * A job's handler started.
   *
   * @param submittedNanos {@link System#nanoTime()} just before its submission call
   */
  void started(long submittedNanos) {
    starts.record(System.nanoTime() - submittedNanos);
  }

  @Override
  public void reset() {
    starts.reset();
  }

  @Override
  public List<Figure> figures() {
    long count = starts.count();
    return List.of(
        new Figure("start.p50", micros(starts.percentileNanos(0.50)), "us"),
        new Figure("start.p99", micros(starts.percentileNanos(0.99)), "us"),
        new Figure("start.max", count == 0 ? Double.NaN : micros(starts.maxNanos()), "us"),
        new Figure("start.count", count, "#"));
  }

  private static double micros(double nanos) {
    return nanos / TimeUnit.MICROSECONDS.toNanos(1);
  }
}
