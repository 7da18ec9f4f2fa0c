/** The object pool in this JVM: {@link io.distkit.pool.object.local.LocalObjectPool}. */
@NullMarked
package io.distkit.pool.object.local;

import org.jspecify.annotations.NullMarked;
