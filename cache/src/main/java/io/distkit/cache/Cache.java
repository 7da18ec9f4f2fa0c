package io.distkit.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * A cache of values by key, in this JVM ({@link io.distkit.cache.local.LocalCache}, on Caffeine) or shared by every
 * JVM on one Redis ({@link io.distkit.cache.redis.RedisCache}), with one contract.
 *
 * <pre>{@code
 * Cache<String, String> names = LocalCache.<String, String>builder("names").maximumSize(10_000).build();
 * Optional<String> name = names.get("user:42", key -> database.loadName(key)); // loads once, however many ask
 * }</pre>
 *
 * <p><b>Loading.</b> {@link #get(Object, CacheLoader)} loads a missing value once per key however many callers miss
 * it at the same time in this JVM (single flight): the others wait for that load and share its outcome. A loader
 * that returns null says "not found": the cache answers empty and, when the cache has a
 * {@linkplain CacheBuilder#negativeTtl negative TTL}, remembers the absence for that long.
 *
 * <p><b>Expiry.</b> Every entry lives for its time to live (the cache's default, or one given to
 * {@link #put(Object, Object, Duration)}) by the cache's clock, and may be evicted before (a local cache's size
 * bound; Redis' memory policy).
 *
 * <p>Keys and values are never null. Implementations are thread-safe.
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public interface Cache<K, V> extends AutoCloseable {

  /**
   * The cache's name, as given to its builder.
   *
   * @return the name
   */
  String name();

  /**
   * The value cached for {@code key}, without loading.
   *
   * @param key the key
   * @return the value, or empty when none is cached (or the absence is)
   */
  Optional<V> getIfPresent(K key);

  /**
   * The value cached for {@code key}, loading it with {@code loader} on a miss: concurrent misses of one key in
   * this JVM run one load and share its outcome.
   *
   * @param key the key
   * @param loader computes the value; may return null for "not found"
   * @return the value, or empty when the loader (now or within the negative TTL) found none
   * @throws CacheLoadException when the loader threw (nothing is cached; the next call loads again)
   */
  Optional<V> get(K key, CacheLoader<? super K, ? extends V> loader);

  /**
   * The values cached for {@code keys}, without loading: keys with nothing cached are left out.
   *
   * @param keys the keys (duplicates are read once)
   * @return the values found, by key
   */
  Map<K, V> getAll(Collection<? extends K> keys);

  /**
   * Caches {@code value} for {@code key} for the cache's default time to live.
   *
   * @param key the key
   * @param value the value
   */
  void put(K key, V value);

  /**
   * Caches {@code value} for {@code key} for {@code ttl}.
   *
   * @param key the key
   * @param value the value
   * @param ttl how long it lives: at least 1 ms
   */
  void put(K key, V value, Duration ttl);

  /**
   * Caches every entry for the cache's default time to live.
   *
   * @param entries the entries
   */
  void putAll(Map<? extends K, ? extends V> entries);

  /**
   * Drops what is cached for {@code key} (a value or a remembered absence).
   *
   * @param key the key
   */
  void invalidate(K key);

  /** Drops every entry of this cache. */
  void invalidateAll();

  /**
   * Counts since the cache was built, in this JVM.
   *
   * @return a snapshot
   */
  CacheStats stats();

  /** Releases what the cache holds (background work, subscriptions); later calls throw. Idempotent. */
  @Override
  void close();
}
