/**
 * Consistent-hashing lookup benchmarks: the TreeMap ring and Guava's jump hash, the baselines distkit's
 * locators are measured against.
 */
@NullMarked
package io.distkit.benchmarks.hashing;

import org.jspecify.annotations.NullMarked;
