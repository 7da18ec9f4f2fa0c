/** What the lock services share; not exported, not API. */
@NullMarked
package io.distkit.locks.internal;

import org.jspecify.annotations.NullMarked;
