package io.distkit.benchmarks.report;

/**
 * One measured figure of a benchmark: JMH's score, the half-width of its 99.9% confidence interval, and the
 * unit.
 *
 * @param score the mean over iterations (and forks)
 * @param error the half-width of the confidence interval; NaN when there were too few iterations to compute it
 * @param unit e.g. {@code ops/us}, {@code B/op}
 */
public record Metric(double score, double error, String unit) {}
