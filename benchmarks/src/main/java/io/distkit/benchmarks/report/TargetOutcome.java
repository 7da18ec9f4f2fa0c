package io.distkit.benchmarks.report;

/**
 * A target checked against one run.
 *
 * @param claim what the target says
 * @param status {@link #MET}, {@link #NOT_MET} or {@link #NOT_MEASURED}
 * @param measured the figures it was judged on
 */
public record TargetOutcome(String claim, String status, String measured) {

  /** Every scenario of the target met it. */
  public static final String MET = "met";

  /** At least one scenario missed it. */
  public static final String NOT_MET = "not met";

  /** The run measured none of the target's scenarios. */
  public static final String NOT_MEASURED = "not measured";
}
