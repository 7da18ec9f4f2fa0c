/** Turns JMH's JSON into the report: a markdown table and a chart per group, the targets, the methodology. */
@NullMarked
package io.distkit.benchmarks.report;

import org.jspecify.annotations.NullMarked;
