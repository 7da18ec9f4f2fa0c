/**
 * Membership inside one JVM: {@link io.distkit.hashing.local.LocalMembership}, the in-process counterpart of
 * {@code io.distkit.hashing.redis.RedisMembership}, with the same leases and versions, for tests and
 * single-process applications.
 */
@NullMarked
package io.distkit.hashing.local;

import org.jspecify.annotations.NullMarked;
