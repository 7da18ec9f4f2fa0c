package io.distkit.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * "{@code implementation} does at least as much in total on 2 threads as on 1": for every scenario of 2
 * threads, its score over the score of the same scenario on 1 thread.
 *
 * @param claim what the target says
 * @param group the benchmark class
 * @param implementation distkit's implementation
 */
public record ScalingTarget(String claim, Class<?> group, String implementation) implements Target {

  private static final String TWO = ", 2 threads";
  private static final String ONE = ", 1 thread";

  @Override
  public TargetOutcome check(List<GroupReport> groups) {
    GroupReport report = Target.find(groups, group);
    if (report == null || !report.implementations().contains(implementation)) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED, implementation + " not in this run");
    }
    List<String> figures = new ArrayList<>();
    double worst = Double.POSITIVE_INFINITY;
    for (String scenario : report.scenarios()) {
      if (!scenario.endsWith(TWO)) {
        continue;
      }
      String base = scenario.substring(0, scenario.length() - TWO.length());
      BenchmarkResult two = report.result(scenario, implementation);
      BenchmarkResult one = report.result(base + ONE, implementation);
      if (two == null || one == null) {
        continue;
      }
      double ratio = two.primary().score() / one.primary().score();
      figures.add(base + ": " + Figures.ratio(ratio));
      worst = Math.min(worst, ratio);
    }
    if (figures.isEmpty()) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED, "no scenario measured on 1 and 2 threads");
    }
    return new TargetOutcome(claim, worst >= 1.0 ? TargetOutcome.MET : TargetOutcome.NOT_MET,
        String.join("; ", figures));
  }
}
