/**
 * Helpers shared by distkit's modules. Not API: anything here may change in any release.
 */
@NullMarked
package io.distkit.core.internal;

import org.jspecify.annotations.NullMarked;
