package io.distkit.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.distkit.core.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A size-bounded Caffeine cache whose entries each carry their own deadline, checked here rather than by Caffeine.
 *
 * <p>Why not Caffeine's own per-entry expiry ({@code expireAfter})? With it, every read reads the ticker and moves
 * the entry in Caffeine's timer wheel; that made a hit cost about 8× a hit on a cache bounded by size alone (JMH,
 * {@code CacheHitBenchmark}). Here a hit is a size-only Caffeine read and one clock reading; an entry found past its
 * deadline is removed and reported absent, so it is never served. Entries that expire and are never read again are
 * swept by the writes that follow: each write visits the next {@value #SWEPT_PER_WRITE} entries of a cursor that
 * walks the whole map over and over, removing the expired ones. An expired entry therefore holds its memory until
 * it is read, swept, or evicted for the size bound, whichever comes first; nothing expires while the cache sees no
 * writes at all (as with Caffeine without a scheduler).
 *
 * <p>Deadlines are on {@link Clock#nanoTime()} and compared by difference, so any reading is valid. Thread-safe.
 *
 * @param <K> the type of keys
 * @param <E> the type of entries
 */
public final class ExpiringEntries<K, E extends ExpiringEntries.Expiring> {

  /** How many entries each write visits for expiry. */
  public static final int SWEPT_PER_WRITE = 2;

  /** An entry with a deadline. */
  public interface Expiring {
    /**
     * When the entry stops being served.
     *
     * @return a {@link Clock#nanoTime()} reading: the entry is expired from that reading on
     */
    long deadlineNanos();
  }

  private final Clock clock;
  private final Cache<K, E> entries;
  private final ConcurrentMap<K, E> map;
  private final ReentrantLock sweeping = new ReentrantLock();
  /** Where the sweep is; guarded by {@link #sweeping}. */
  private @Nullable Iterator<Map.Entry<K, E>> cursor;

  /**
   * Entries kept in {@code entries} (configured by the caller with its bound, and with no expiry of its own), expired
   * by {@code clock}.
   *
   * @param clock the clock deadlines are read on
   * @param entries the Caffeine cache that holds them
   */
  public ExpiringEntries(Clock clock, Cache<K, E> entries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = Objects.requireNonNull(entries, "entries");
    this.map = entries.asMap();
  }

  /**
   * Builds a deadline {@code ttlNanos} from now.
   *
   * @param ttlNanos at least 0
   * @return the deadline (wraps around for lives near {@link Long#MAX_VALUE}, which the comparison by difference
   *     allows)
   */
  public long deadlineIn(long ttlNanos) {
    return clock.nanoTime() + ttlNanos;
  }

  private static boolean expired(Expiring entry, long now) {
    return now - entry.deadlineNanos() >= 0;
  }

  /**
   * The live entry of {@code key}, or null; an expired one found on the way is removed.
   *
   * @param key the key
   * @return the entry, or null if there is none or it expired
   */
  public @Nullable E get(K key) {
    E entry = entries.getIfPresent(key);
    if (entry != null && expired(entry, clock.nanoTime())) {
      map.remove(key, entry);
      return null;
    }
    return entry;
  }

  /**
   * The live entries of {@code keys}.
   *
   * @param keys the keys, without duplicates
   * @return the keys that have a live entry, with it
   */
  public Map<K, E> getAll(Iterable<? extends K> keys) {
    Map<K, E> found = entries.getAllPresent(keys);
    if (found.isEmpty()) {
      return found;
    }
    long now = clock.nanoTime();
    Map<K, E> live = new HashMap<>(found.size() * 2);
    found.forEach((key, entry) -> {
      if (expired(entry, now)) {
        map.remove(key, entry);
      } else {
        live.put(key, entry);
      }
    });
    return live;
  }

  /**
   * Stores {@code entry} under {@code key}, replacing what was there.
   *
   * @param key the key
   * @param entry the entry
   */
  public void put(K key, E entry) {
    entries.put(key, entry);
    sweep();
  }

  /**
   * Computes the entry of {@code key} atomically (Caffeine's per-key lock), the function seeing null for an expired
   * entry.
   *
   * @param key the key
   * @param remapping given the key and its live entry or null; returns the entry to keep, or null to remove it
   * @return what the function returned
   */
  public @Nullable E compute(K key, BiFunction<? super K, ? super @Nullable E, ? extends @Nullable E> remapping) {
    E computed = map.compute(key, (k, old) -> {
      E live = old == null || expired(old, clock.nanoTime()) ? null : old;
      return remapping.apply(k, live);
    });
    sweep();
    return computed;
  }

  /**
   * Removes the entry of {@code key}.
   *
   * @param key the key
   */
  public void invalidate(K key) {
    entries.invalidate(key);
  }

  /** Removes every entry. */
  public void invalidateAll() {
    entries.invalidateAll();
  }

  /**
   * How many entries are held, expired ones not yet removed included (Caffeine's estimate).
   *
   * @return the count
   */
  public long estimatedSize() {
    return entries.estimatedSize();
  }

  /** Visits the next few entries of the sweep, removing the expired ones; skipped while another thread sweeps. */
  private void sweep() {
    if (!sweeping.tryLock()) {
      return;
    }
    try {
      long now = clock.nanoTime();
      for (int visited = 0; visited < SWEPT_PER_WRITE; visited++) {
        if (cursor == null || !cursor.hasNext()) {
          cursor = map.entrySet().iterator();
          if (!cursor.hasNext()) {
            return;
          }
        }
        Map.Entry<K, E> next = cursor.next();
        if (expired(next.getValue(), now)) {
          map.remove(next.getKey(), next.getValue());
        }
      }
    } finally {
      sweeping.unlock();
    }
  }
}
