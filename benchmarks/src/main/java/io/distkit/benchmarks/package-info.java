/**
 * JMH benchmarks of distkit beside its peers, measured in the same run. (Under construction: see the project
 * README.)
 */
@NullMarked
package io.distkit.benchmarks;

import org.jspecify.annotations.NullMarked;
