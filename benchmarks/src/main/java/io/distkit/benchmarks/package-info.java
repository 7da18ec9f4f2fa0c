/**
 * JMH benchmarks of distkit beside the libraries users would pick instead, measured in the same run, and the
 * report made from them. {@link io.distkit.benchmarks.BenchmarkSuite} is the entry point of
 * {@code benchmarks.jar}; the module's README says how to run it and what each group measures.
 *
 * <p>Not published. Each group of benchmarks is one class annotated with
 * {@link io.distkit.benchmarks.report.ReportGroup}, whose {@code implementation} parameter names distkit's
 * implementations ({@code distkit-*}) and the peers'.
 */
@NullMarked
package io.distkit.benchmarks;

import org.jspecify.annotations.NullMarked;
