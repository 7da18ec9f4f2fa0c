/**
 * Ready {@link io.distkit.pool.object.PooledObjectFactory factories} for connections:
 * {@link io.distkit.pool.connection.JedisConnectionFactory} (one Redis connection per object, validated by a
 * {@code PING} bounded by the borrower's wait).
 */
@NullMarked
package io.distkit.pool.connection;

import org.jspecify.annotations.NullMarked;
