package io.distkit.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * "Every chosen implementation of a group has a figure within bounds" in every scenario, e.g. at most 0.05 B/op
 * or exactly one Redis command per operation.
 *
 * @param claim what the target says
 * @param group the benchmark class
 * @param implementations which implementations it is about, by name
 * @param about those implementations in words, for the outcome when none was measured
 * @param figure the figure, e.g. {@link GroupReport#bytesPerOp}
 * @param unit the figure's unit, for the outcome
 * @param bound whether a figure meets the target
 */
public record FigureTarget(String claim, Class<?> group, Predicate<String> implementations, String about,
    ToDoubleFunction<BenchmarkResult> figure, String unit, DoublePredicate bound) implements Target {

  @Override
  public TargetOutcome check(List<GroupReport> groups) {
    GroupReport report = Target.find(groups, group);
    if (report == null) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED, "group not in this run");
    }
    List<String> figures = new ArrayList<>();
    boolean met = true;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (String scenario : report.scenarios()) {
      for (String implementation : report.implementations()) {
        BenchmarkResult r = report.result(scenario, implementation);
        if (r == null || !implementations.test(implementation)) {
          continue;
        }
        double value = figure.applyAsDouble(r);
        if (Double.isNaN(value)) {
          continue;
        }
        if (!bound.test(value)) {
          met = false;
          figures.add(implementation + ", " + scenario + ": " + Figures.perOp(value) + " " + unit);
        }
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
    if (min == Double.POSITIVE_INFINITY) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED,
          "no figure of " + about + " in this run");
    }
    String range = String.format(Locale.ROOT, "%s to %s %s over every scenario", Figures.perOp(min),
        Figures.perOp(max), unit);
    return new TargetOutcome(claim, met ? TargetOutcome.MET : TargetOutcome.NOT_MET,
        met ? range : range + "; misses: " + String.join("; ", figures));
  }
}
