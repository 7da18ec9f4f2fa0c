package io.distkit.benchmarks.report;

import java.util.List;

/** A claim of speed or cost that a run either supports or not. */
public interface Target {

  /**
   * Judges the claim on a run's groups.
   *
   * @param groups the run's results
   * @return the outcome; {@link TargetOutcome#NOT_MEASURED} when the run did not measure what it needs
   */
  TargetOutcome check(List<GroupReport> groups);

  /**
   * The group a target is about, if the run has it.
   *
   * @param groups the run's groups
   * @param benchmarkClass the group's class
   * @return the group, or null
   */
  static GroupReport find(List<GroupReport> groups, Class<?> benchmarkClass) {
    for (GroupReport group : groups) {
      if (group.className().equals(benchmarkClass.getName())) {
        return group;
      }
    }
    return null;
  }
}
