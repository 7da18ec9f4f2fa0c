package io.distkit.cache;

/**
 * Counts since a {@link Cache} was built, in this JVM.
 *
 * @param hits reads that found a value or a remembered absence
 * @param misses reads that found nothing cached
 * @param loads loads that returned (a value or "not found")
 * @param loadFailures loads that threw
 * @param loadNanos time spent in loads, in nanoseconds, failed ones included
 * @param evictions entries dropped to stay within the size bound (local) before their time to live ran out
 * @param staleServed reads a near cache answered from its copy because Redis could not be reached (with
 *     {@code FALLBACK_TO_LOCAL}); the copy may be older than Redis' value
 */
public record CacheStats(long hits, long misses, long loads, long loadFailures, long loadNanos, long evictions,
    long staleServed) {

  /**
   * The share of reads that hit.
   *
   * @return hits / (hits + misses), or 1 when nothing was read
   */
  public double hitRate() {
    long reads = hits + misses;
    return reads == 0 ? 1.0 : (double) hits / reads;
  }
}
