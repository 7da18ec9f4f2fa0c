package io.distkit.cache.local;

import io.distkit.cache.CacheBuilder;
import io.distkit.cache.CacheContractTest;

/** The cache contract on {@link LocalCache}. */
class LocalCacheTest extends CacheContractTest {

  @Override
  protected CacheBuilder<String, String, ?> newBuilder(String name) {
    return LocalCache.builder(name);
  }
}
