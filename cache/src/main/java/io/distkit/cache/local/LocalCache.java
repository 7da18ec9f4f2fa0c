package io.distkit.cache.local;

import io.distkit.cache.Cache;
import io.distkit.cache.CacheBuilder;
import java.util.Objects;
import java.util.function.ToIntBiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A cache in this JVM on Caffeine: bounded by entry count or by weight (W-TinyLFU eviction, Caffeine's), each entry
 * expiring at its own time to live by the builder's clock, concurrent misses of a key loaded once.
 *
 * <pre>{@code
 * Cache<String, Profile> profiles = LocalCache.<String, Profile>builder("profiles")
 *     .maximumSize(50_000).defaultTtl(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * <h2>Cost</h2>
 * A hit is one Caffeine read (Caffeine bounded by size only), one clock reading to check the entry's deadline, and
 * one counter increment; it allocates nothing. Caffeine's upkeep (eviction) runs on the calling threads, never on a
 * pool of its own. An expired entry is removed when read, or swept by the writes that follow (each write visits the
 * next two entries of a cursor over the whole cache), or evicted for the bound, whichever comes first. A
 * remembered absence ({@linkplain CacheBuilder#negativeTtl negative TTL}) counts as one unit of size (or weight 1).
 */
public final class LocalCache {

  /** The default bound: 10,000 entries. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  private LocalCache() {}

  /**
   * Starts configuring a local cache.
   *
   * @param name the cache's name (for messages and stats): non-blank
   * @param <K> the type of keys
   * @param <V> the type of values
   * @return a builder with every setting at its default
   */
  public static <K, V> Builder<K, V> builder(String name) {
    return new Builder<>(name);
  }

  /**
   * Configures a {@link LocalCache}: the settings of {@link CacheBuilder} and a bound.
   *
   * <table>
   *   <caption>Local settings</caption>
   *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
   *   <tr><td>{@link #maximumSize}</td><td>{@link #DEFAULT_MAXIMUM_SIZE}</td><td>entries at most</td></tr>
   *   <tr><td>{@link #maximumWeight}</td><td>none</td><td>total weight at most, by a weigher (instead of a
   *       size)</td></tr>
   * </table>
   *
   * @param <K> the type of keys
   * @param <V> the type of values
   */
  public static final class Builder<K, V> extends CacheBuilder<K, V, Builder<K, V>> {
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private long maximumWeight = -1;
    private @Nullable ToIntBiFunction<? super K, ? super V> weigher;

    private Builder(String name) {
      super(name);
    }

    /**
     * Bounds the cache by entry count.
     *
     * @param maximumSize at least 0 (0: nothing is kept); default {@link #DEFAULT_MAXIMUM_SIZE}
     * @return this builder
     */
    public Builder<K, V> maximumSize(long maximumSize) {
      if (maximumSize < 0) {
        throw new IllegalArgumentException("maximumSize (" + maximumSize + ") must be at least 0");
      }
      this.maximumSize = maximumSize;
      this.maximumWeight = -1;
      this.weigher = null;
      return this;
    }

    /**
     * Bounds the cache by total weight instead of entry count.
     *
     * @param maximumWeight at least 0
     * @param weigher an entry's weight: at least 0, computed once when the entry is stored
     * @return this builder
     */
    public Builder<K, V> maximumWeight(long maximumWeight, ToIntBiFunction<? super K, ? super V> weigher) {
      if (maximumWeight < 0) {
        throw new IllegalArgumentException("maximumWeight (" + maximumWeight + ") must be at least 0");
      }
      this.maximumWeight = maximumWeight;
      this.weigher = Objects.requireNonNull(weigher, "weigher");
      return this;
    }

    @Override
    public Cache<K, V> build() {
      return new CaffeineCache<>(configuredName(), configuredDefaultTtl(), configuredNegativeTtl(),
          configuredClock(), configuredListener(), maximumSize, maximumWeight, weigher);
    }
  }
}
