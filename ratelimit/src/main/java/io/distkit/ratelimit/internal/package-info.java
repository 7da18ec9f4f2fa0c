/**
 * Shared internals of the rate limiters. Not API: anything here may change in any release.
 */
@NullMarked
package io.distkit.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
