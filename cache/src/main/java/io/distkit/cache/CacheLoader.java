package io.distkit.cache;

import org.jspecify.annotations.Nullable;

/**
 * Computes a value missing from a {@link Cache}: typically a read from the system of record.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
@FunctionalInterface
public interface CacheLoader<K, V> {

  /**
   * Loads the value of {@code key}.
   *
   * @param key the key that missed
   * @return the value, or null when there is none (cached as an absence for the negative TTL, if any)
   * @throws Exception anything: the caller gets it wrapped in a {@link CacheLoadException}, and nothing is cached
   */
  @Nullable V load(K key) throws Exception;
}
