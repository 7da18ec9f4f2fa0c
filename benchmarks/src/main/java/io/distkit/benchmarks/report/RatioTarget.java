package io.distkit.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * "{@code implementation} is at least {@code factor} times as fast as {@code peer}" in every scenario the
 * filter selects (strictly faster when {@code strict}).
 *
 * @param claim what the target says
 * @param group the benchmark class
 * @param implementation distkit's implementation
 * @param peer the implementation compared with
 * @param factor the least ratio of scores
 * @param strict whether the ratio must exceed {@code factor} rather than reach it
 * @param scenarios which scenarios count
 */
public record RatioTarget(String claim, Class<?> group, String implementation, String peer, double factor,
    boolean strict, Predicate<String> scenarios) implements Target {

  @Override
  public TargetOutcome check(List<GroupReport> groups) {
    GroupReport report = Target.find(groups, group);
    if (report == null) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED, "group not in this run");
    }
    List<String> implementations = report.implementations();
    if (!implementations.contains(implementation) || !implementations.contains(peer)) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED,
          (implementations.contains(implementation) ? peer : implementation) + " not in this run");
    }
    List<String> figures = new ArrayList<>();
    double worst = Double.POSITIVE_INFINITY;
    for (String scenario : report.scenarios()) {
      double ratio = report.ratio(scenario, implementation, peer);
      if (!scenarios.test(scenario) || Double.isNaN(ratio)) {
        continue;
      }
      figures.add(scenario + ": " + Figures.ratio(ratio));
      worst = Math.min(worst, ratio);
    }
    if (figures.isEmpty()) {
      return new TargetOutcome(claim, TargetOutcome.NOT_MEASURED, "no scenario of this run measured both");
    }
    boolean met = strict ? worst > factor : worst >= factor;
    return new TargetOutcome(claim, met ? TargetOutcome.MET : TargetOutcome.NOT_MET, String.join("; ", figures));
  }
}
