package io.distkit.benchmarks.report;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the report presents a benchmark class: one group per class, one table and one chart per group.
 *
 * <p>The report's conventions, which every benchmark class follows:
 * <ul>
 *   <li>the implementation under test is the {@code @Param} named {@value #IMPLEMENTATION}; values starting
 *       with {@value #OURS_PREFIX} are distkit's, every other value is a peer or a baseline, and each row gets
 *       its ratio to every peer in the same scenario;
 *   <li>a scenario is everything else: the other {@code @Param}s and the thread count (benchmark methods that
 *       differ only by {@code @Threads} are one benchmark run at several thread counts);
 *   <li>every benchmark in a class has the same mode and unit, higher is better (throughput), so a ratio above
 *       1 means faster than the peer.
 * </ul>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ReportGroup {

  /** The name of the {@code @Param} that selects the implementation under test. */
  String IMPLEMENTATION = "implementation";

  /** The prefix of the implementations that are distkit's own. */
  String OURS_PREFIX = "distkit-";

  /**
   * The group's heading.
   *
   * @return e.g. "Local rate limiter, one key"
   */
  String title();

  /**
   * What is measured and how, one paragraph of markdown, shown above the group's table.
   *
   * @return the description
   */
  String about();
}
