/** What the cache implementations share; not part of the API (not exported). */
@NullMarked
package io.distkit.cache.internal;

import org.jspecify.annotations.NullMarked;
