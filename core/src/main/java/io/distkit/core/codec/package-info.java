/**
 * {@link io.distkit.core.codec.Codec}: how distkit turns user values into bytes for Redis and back. Built-ins
 * for UTF-8 strings, byte arrays and longs; never Java serialization.
 */
@NullMarked
package io.distkit.core.codec;

import org.jspecify.annotations.NullMarked;
