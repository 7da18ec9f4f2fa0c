/**
 * Runnable programs that show distkit at work. {@link io.distkit.examples.Tour} walks through every module;
 * with no arguments it needs no server, with {@code --redis redis://host:port} it uses that Redis.
 * {@link io.distkit.examples.NettyChannelPool} pools Netty client channels to an echo server it starts itself, and
 * {@link io.distkit.examples.HashingReport} measures the consistent-hashing algorithms' balance and movement.
 */
@NullMarked
package io.distkit.examples;

import org.jspecify.annotations.NullMarked;
