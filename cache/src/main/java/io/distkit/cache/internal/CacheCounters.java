package io.distkit.cache.internal;

import io.distkit.cache.CacheListener;
import io.distkit.cache.CacheLoadException;
import io.distkit.cache.CacheLoader;
import io.distkit.cache.CacheStats;
import io.distkit.core.Clock;
import io.distkit.core.internal.Listeners;
import io.distkit.core.internal.PerThreadCounts;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What every cache counts for {@link CacheStats}, in one place, and the one way a loader is run (timed, counted, a
 * checked failure wrapped). Thread-safe; reads are counted per thread (a hit costs a plain increment, no atomic
 * instruction), the rest in {@link LongAdder}s.
 */
public final class CacheCounters {

  private final Clock clock;
  private final CacheListener listener;
  private static final int HITS = 0;
  private static final int MISSES = 1;
  private final PerThreadCounts reads = new PerThreadCounts(2);
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  /**
   * Counters timing loads by {@code clock}, telling {@code listener} of each load.
   *
   * @param clock the cache's clock
   * @param listener the cache's listener
   */
  public CacheCounters(Clock clock, CacheListener listener) {
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * Counts reads.
   *
   * @param hit reads that found something cached
   * @param missed reads that found nothing
   */
  public void read(int hit, int missed) {
    if (hit > 0) {
      reads.add(HITS, hit);
    }
    if (missed > 0) {
      reads.add(MISSES, missed);
    }
  }

  /** Counts one entry evicted for the size bound. */
  public void evicted() {
    evictions.increment();
  }

  /**
   * Runs {@code loader} for {@code key}, timed and counted.
   *
   * @param cache the cache's name, for the failure's message
   * @param key the key
   * @param loader the loader
   * @return what it returned (null: not found)
   * @throws CacheLoadException wrapping what it threw
   */
  public <K, V> @Nullable V load(String cache, K key, CacheLoader<? super K, ? extends V> loader) {
    long start = clock.nanoTime();
    V value;
    try {
      value = loader.load(key);
    } catch (Exception e) {
      long nanos = Math.max(0, clock.nanoTime() - start);
      loadFailures.increment();
      loadNanos.add(nanos);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Listeners.notify(listener, "onLoadFailed", l -> l.onLoadFailed(cache, key, nanos, e));
      throw new CacheLoadException("Loading " + key + " into cache " + cache + " failed: " + e, e);
    }
    long nanos = Math.max(0, clock.nanoTime() - start);
    loads.increment();
    loadNanos.add(nanos);
    Listeners.notify(listener, "onLoad", l -> l.onLoad(cache, key, nanos, value != null));
    return value;
  }

  /**
   * The counts.
   *
   * @return a snapshot
   */
  public CacheStats stats() {
    return new CacheStats(reads.sum(HITS), reads.sum(MISSES), loads.sum(), loadFailures.sum(), loadNanos.sum(),
        evictions.sum(), 0);
  }
}
