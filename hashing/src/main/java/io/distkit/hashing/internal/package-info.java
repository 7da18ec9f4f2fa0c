/**
 * Helpers of distkit-hashing: key hash functions, jump hash, mixing, primes. Not API: anything here may
 * change in any release.
 */
@NullMarked
package io.distkit.hashing.internal;

import org.jspecify.annotations.NullMarked;
