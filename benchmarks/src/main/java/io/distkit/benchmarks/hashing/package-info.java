/**
 * Consistent-hashing lookup benchmarks: distkit's locators beside the TreeMap ring and Guava's jump hash.
 */
@NullMarked
package io.distkit.benchmarks.hashing;

import org.jspecify.annotations.NullMarked;
