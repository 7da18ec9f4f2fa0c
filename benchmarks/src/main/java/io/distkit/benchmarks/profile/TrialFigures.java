package io.distkit.benchmarks.profile;

import java.util.List;

/**
 * Figures a benchmark trial computes itself over its measured iterations, where JMH has no figure of its own
 * (percentiles of a latency the benchmark times, shares of outcomes): {@link TrialFiguresProfiler} calls
 * {@link #reset()} before the first measured iteration, so warm-up is forgotten, and reports {@link #figures()}
 * once, after the last measured iteration. The trial publishes its source with
 * {@link TrialFiguresProfiler#publish(TrialFigures)} when it sets up, and withdraws it when it tears down.
 *
 * <p>JMH runs the trial's threads between the profiler's calls, never during them: an implementation needs no
 * more thread safety than its recording needs.
 */
public interface TrialFigures {

  /** Forgets what was recorded so far: the measured iterations begin. */
  void reset();

  /**
   * The figures over everything recorded since {@link #reset()}.
   *
   * @return the figures, in the order the report shows them
   */
  List<Figure> figures();

  /**
   * One figure.
   *
   * @param label what it is, e.g. {@code handoff.p99}; reported as {@value TrialFiguresProfiler#PREFIX} + label
   * @param value the figure; NaN when there was nothing to compute it from
   * @param unit e.g. {@code us}, {@code %}
   */
  record Figure(String label, double value, String unit) {}
}
