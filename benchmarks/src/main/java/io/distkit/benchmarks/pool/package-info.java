/**
 * Object pool benchmarks: a borrow and return of one pooled object from distkit's {@code LocalObjectPool} beside
 * Apache Commons Pool 2's {@code GenericObjectPool} and Stormpot.
 */
@NullMarked
package io.distkit.benchmarks.pool;

import org.jspecify.annotations.NullMarked;
