package io.distkit.benchmarks.profile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Statistics;

/**
 * Reports the {@link TrialFigures} of the running trial as secondary results labelled {@value #PREFIX}{@code
 * <label>}: resets them before the first measured iteration and reads them after the last, so each figure covers
 * every measured iteration of the trial together (a p99 over all of them, not an average of per-iteration p99s).
 * Only the last measured iteration carries the figures (JMH shows them without an error); over several forks,
 * JMH averages the forks' figures. Benchmarks that publish none report nothing. The suite enables it for every
 * run.
 *
 * <p>A trial publishes its figures in its setup, which JMH runs inside the first iteration: with no warm-up
 * iteration and a single measured one (-wi 0 -i 1) nothing is reported.
 */
public final class TrialFiguresProfiler implements InternalProfiler {

  /** The prefix of every label this profiler reports. */
  public static final String PREFIX = "trial.";

  private static volatile @Nullable TrialFigures current;

  private @Nullable BenchmarkParams trial;
  private @Nullable TrialFigures source;
  private int measured;

  /** Called by JMH. */
  public TrialFiguresProfiler() {}

  /**
   * Makes a trial's figures the ones reported, from its setup on.
   *
   * @param figures the trial's figures
   */
  public static void publish(TrialFigures figures) {
    current = Objects.requireNonNull(figures, "figures");
  }

  /**
   * Withdraws a trial's figures when it tears down (the profiler keeps what it needs for the last iteration), so
   * that they are never reported for a later benchmark of the same JVM.
   *
   * @param figures the trial's figures; nothing happens if others were published since
   */
  public static void withdraw(TrialFigures figures) {
    if (current == figures) {
      current = null;
    }
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    if (benchmarkParams != trial) {
      trial = benchmarkParams;
      measured = 0;
    }
    source = current;
    if (iterationParams.getType() == IterationType.MEASUREMENT) {
      measured++;
      if (measured == 1 && source != null) {
        source.reset();
      }
    }
  }

  @Override
  @SuppressWarnings("rawtypes") // InternalProfiler's signature uses JMH's raw Result
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    TrialFigures figures = source;
    source = null;
    if (figures == null || iterationParams.getType() != IterationType.MEASUREMENT
        || measured != iterationParams.getCount()) {
      return List.of();
    }
    List<Result<?>> results = new ArrayList<>();
    for (TrialFigures.Figure figure : figures.figures()) {
      results.add(new OnceResult(PREFIX + figure.label(), figure.value(), figure.unit()));
    }
    return results;
  }

  /**
   * A figure that only one iteration of a trial carries. JMH pads a secondary result missing from some iterations
   * with the result's zero before averaging (a p99 of 900 µs in the last of 5 iterations would read 180 µs), and
   * its {@code ScalarResult} turns back into one with a zero when JMH combines the threads' results of an
   * iteration. This one has no zero, and stays itself through every combination: one value per fork, averaged
   * over forks.
   */
  static final class OnceResult extends Result<OnceResult> {
    private static final long serialVersionUID = 1L;

    OnceResult(String label, double value, String unit) {
      this(label, statistics(List.of(value)), unit);
    }

    private OnceResult(String label, Statistics values, String unit) {
      super(ResultRole.SECONDARY, label, values, unit, AggregationPolicy.AVG);
    }

    private static Statistics statistics(Collection<Double> values) {
      ListStatistics statistics = new ListStatistics();
      values.forEach(statistics::addValue);
      return statistics;
    }

    private static Aggregator<OnceResult> pooled() {
      return results -> {
        OnceResult first = results.iterator().next();
        List<Double> values = new ArrayList<>();
        for (OnceResult r : results) {
          r.getStatistics().getRawData().forEachRemaining(e -> {
            for (long i = 0; i < e.getValue(); i++) {
              values.add(e.getKey());
            }
          });
        }
        return new OnceResult(first.getLabel(), statistics(values), first.getScoreUnit());
      };
    }

    /** None: JMH leaves the iterations without the figure out instead of counting them as zero. */
    @Override
    protected @Nullable OnceResult getZeroResult() {
      return null;
    }

    @Override
    protected Aggregator<OnceResult> getThreadAggregator() {
      return pooled();
    }

    @Override
    protected Aggregator<OnceResult> getIterationAggregator() {
      return pooled();
    }
  }

  @Override
  public String getDescription() {
    return "Figures a benchmark computes itself over all its measured iterations (latency percentiles, shares)";
  }
}
