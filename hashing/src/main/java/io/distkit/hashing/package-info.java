/**
 * Consistent hashing: map keys to nodes so that changing the nodes moves as few keys as possible.
 *
 * <ul>
 *   <li>{@link io.distkit.hashing.NodeLocator}: one interface, five algorithms
 *       ({@link io.distkit.hashing.Algorithm}: ring, ketama-compatible ring, jump, rendezvous, Maglev), built
 *       from a {@link io.distkit.hashing.LocatorConfig}. Locators are immutable snapshots; a
 *       {@link io.distkit.hashing.LocatorHolder} swaps them atomically.
 *   <li>{@link io.distkit.hashing.Node}: your own node type, with a stable id and a weight.
 *   <li>{@link io.distkit.hashing.BoundedLoadBalancer} and {@link io.distkit.hashing.BoundedLoadAssignment}:
 *       consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam), for requests and for
 *       key sets.
 *   <li>{@link io.distkit.hashing.LocatorAnalysis}: balance (peak-to-mean, standard deviation) and movement
 *       between snapshots, measured on a sample of keys.
 *   <li>{@link io.distkit.hashing.Membership}: which nodes are alive, kept in Redis
 *       ({@link io.distkit.hashing.redis.RedisMembership}) or in this JVM
 *       ({@link io.distkit.hashing.local.LocalMembership}), with a locator per membership version.
 * </ul>
 */
@NullMarked
package io.distkit.hashing;

import org.jspecify.annotations.NullMarked;
