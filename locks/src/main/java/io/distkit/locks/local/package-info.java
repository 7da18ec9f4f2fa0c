/** Locks in one JVM: {@link io.distkit.locks.local.LocalLockService}. */
@NullMarked
package io.distkit.locks.local;

import org.jspecify.annotations.NullMarked;
