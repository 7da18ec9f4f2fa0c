package io.distkit.benchmarks.profile;

import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the heap per key that the running trial measured with {@link KeyFootprint}, as the secondary result
 * {@value #LABEL} of each iteration (the same figure every time; benchmarks that measure none report nothing).
 * The suite enables it for every run.
 */
public final class KeyFootprintProfiler implements InternalProfiler {

  /** The label of the result. */
  public static final String LABEL = "heap.bytes.per.key";

  /** The unit of the result. */
  public static final String UNIT = "B/key";

  private double bytesPerKey = Double.NaN;

  /** Called by JMH. */
  public KeyFootprintProfiler() {}

  /** Reads the figure while the trial is alive: JMH tears the trial down before the last iteration's results. */
  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    bytesPerKey = KeyFootprint.bytesPerKey();
  }

  @Override
  @SuppressWarnings("rawtypes") // InternalProfiler's signature uses JMH's raw Result
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    double bytes = bytesPerKey;
    bytesPerKey = Double.NaN;
    return Double.isNaN(bytes) ? List.of() : List.of(new ScalarResult(LABEL, bytes, UNIT, AggregationPolicy.AVG));
  }

  @Override
  public String getDescription() {
    return "Heap bytes per key, measured by the benchmark's setup after full GCs";
  }
}
