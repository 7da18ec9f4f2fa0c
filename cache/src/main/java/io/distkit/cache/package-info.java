/**
 * Caches: a local LRU/TTL cache (Caffeine), a Redis cache and a two-level near cache, behind one interface.
 * (Under construction: see the project README.)
 */
@NullMarked
package io.distkit.cache;

import org.jspecify.annotations.NullMarked;
