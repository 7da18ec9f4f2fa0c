/**
 * Runnable programs that show distkit at work. {@link io.distkit.examples.Tour} walks through every module;
 * with no arguments it needs no server, with {@code --redis redis://host:port} it uses that Redis.
 */
@NullMarked
package io.distkit.examples;

import org.jspecify.annotations.NullMarked;
