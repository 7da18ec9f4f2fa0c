/** The cache in this JVM, on Caffeine: {@link io.distkit.cache.local.LocalCache}. */
@NullMarked
package io.distkit.cache.local;

import org.jspecify.annotations.NullMarked;
