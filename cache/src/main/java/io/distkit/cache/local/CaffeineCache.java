package io.distkit.cache.local;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.distkit.cache.Cache;
import io.distkit.cache.CacheListener;
import io.distkit.cache.CacheLoader;
import io.distkit.cache.CacheStats;
import io.distkit.cache.internal.CacheCounters;
import io.distkit.cache.internal.ExpiringEntries;
import io.distkit.core.Clock;
import io.distkit.core.internal.Require;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntBiFunction;
import org.jspecify.annotations.Nullable;

/** {@link LocalCache}'s cache: see there. */
final class CaffeineCache<K, V> implements Cache<K, V> {

  /**
   * What is kept per key: the answer to give (a value, or empty for a remembered absence, built once so that a hit
   * allocates nothing), until its deadline.
   */
  private record Entry<V>(Optional<V> answer, long deadlineNanos) implements ExpiringEntries.Expiring {
    @Nullable V value() {
      return answer.orElse(null);
    }
  }

  private final String name;
  private final long defaultTtlNanos;
  private final long negativeTtlNanos;
  private final CacheCounters counters;
  private final ExpiringEntries<K, Entry<V>> entries;
  private final AtomicBoolean closed = new AtomicBoolean();

  CaffeineCache(String name, Duration defaultTtl, Duration negativeTtl, Clock clock, CacheListener listener,
      long maximumSize,
      long maximumWeight, @Nullable ToIntBiFunction<? super K, ? super V> weigher) {
    this.name = name;
    this.defaultTtlNanos = Require.saturatedNanos(defaultTtl);
    this.negativeTtlNanos = Require.saturatedNanos(negativeTtl);
    this.counters = new CacheCounters(clock, listener);
    // no expiry in Caffeine: ExpiringEntries checks each entry's deadline (see there why)
    Caffeine<K, Entry<V>> typed = Caffeine.newBuilder()
        .executor(Runnable::run) // upkeep on the calling threads: no pool of Caffeine's own
        .<K, Entry<V>>evictionListener((key, entry, cause) -> {
          if (cause == RemovalCause.SIZE) {
            counters.evicted();
          }
        });
    if (weigher != null) {
      typed = typed.maximumWeight(maximumWeight)
          .weigher((K key, Entry<V> entry) -> entry.value() == null ? 1 : weigher.applyAsInt(key, entry.value()));
    } else {
      typed = typed.maximumSize(maximumSize);
    }
    this.entries = new ExpiringEntries<>(clock, typed.build());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<V> getIfPresent(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    Entry<V> entry = entries.get(key);
    counters.read(entry == null ? 0 : 1, entry == null ? 1 : 0);
    return entry == null ? Optional.empty() : entry.answer();
  }

  @Override
  public Optional<V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    Entry<V> entry = entries.get(key);
    if (entry != null) {
      counters.read(1, 0);
      return entry.answer();
    }
    counters.read(0, 1);
    // computed once per key: concurrent misses wait for this load and share its entry
    entry = entries.compute(key, (k, live) -> {
      if (live != null) {
        return live; // loaded by another caller meanwhile
      }
      V value = counters.load(name, k, loader);
      if (value != null) {
        return new Entry<>(Optional.of(value), entries.deadlineIn(defaultTtlNanos));
      }
      return negativeTtlNanos > 0 ? new Entry<V>(Optional.empty(), entries.deadlineIn(negativeTtlNanos)) : null;
    });
    return entry == null ? Optional.empty() : entry.answer();
  }

  @Override
  public Map<K, V> getAll(Collection<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    checkOpen();
    Set<K> unique = new LinkedHashSet<>(keys);
    unique.forEach(k -> Objects.requireNonNull(k, "key"));
    Map<K, Entry<V>> found = entries.getAll(unique);
    counters.read(found.size(), unique.size() - found.size());
    Map<K, V> values = new HashMap<>(found.size() * 2);
    found.forEach((k, entry) -> {
      if (entry.value() != null) {
        values.put(k, entry.value());
      }
    });
    return values;
  }

  @Override
  public void put(K key, V value) {
    store(key, value, defaultTtlNanos);
  }

  @Override
  public void put(K key, V value, Duration ttl) {
    store(key, value, Require.saturatedNanos(io.distkit.cache.CacheBuilder.atLeastOneMilli(ttl, "ttl")));
  }

  private void store(K key, V value, long ttlNanos) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    checkOpen();
    entries.put(key, new Entry<>(Optional.of(value), entries.deadlineIn(ttlNanos)));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> values) {
    Objects.requireNonNull(values, "entries");
    values.forEach(this::put);
  }

  @Override
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    entries.invalidate(key);
  }

  @Override
  public void invalidateAll() {
    checkOpen();
    entries.invalidateAll();
  }

  @Override
  public CacheStats stats() {
    return counters.stats();
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("cache " + name + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      entries.invalidateAll();
    }
  }

  @Override
  public String toString() {
    return "LocalCache[" + name + ", " + entries.estimatedSize() + " entries, " + stats() + "]";
  }
}
