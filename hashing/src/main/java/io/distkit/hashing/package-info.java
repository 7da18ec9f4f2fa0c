/**
 * Consistent hashing: ring, jump, rendezvous, maglev and bounded loads; membership in Redis; client-side
 * sharding. (Under construction: see the project README.)
 */
@NullMarked
package io.distkit.hashing;

import org.jspecify.annotations.NullMarked;
