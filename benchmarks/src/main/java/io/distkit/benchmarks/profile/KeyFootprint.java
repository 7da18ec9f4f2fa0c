package io.distkit.benchmarks.profile;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap retained per key by a keyed structure, measured as the growth of the used heap after full garbage
 * collections, from before the keys were added to after. The caller allocates the keys themselves before the
 * first measurement, so they are not counted: what is counted is what the structure adds per key (entries,
 * per-key state, table growth). Measured once per trial; {@link KeyFootprintProfiler} reports it.
 *
 * <pre>{@code
 * long before = KeyFootprint.usedHeapAfterGc();
 * for (String key : keys) limiter.tryConsume(key, 1);
 * KeyFootprint.publish((KeyFootprint.usedHeapAfterGc() - before) / (double) keys.length);
 * }</pre>
 */
public final class KeyFootprint {

  private static final int MAX_GCS = 10;

  private static volatile double bytesPerKey = Double.NaN;

  private KeyFootprint() {}

  /**
   * The used heap once garbage collection stops reclaiming: {@code System.gc()} until two readings in a row
   * differ by less than 64 KiB (at most 10 times).
   *
   * @return bytes of heap in use
   */
  public static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < MAX_GCS; i++) {
      System.gc();
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 64 * 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }

  /**
   * Publishes the trial's figure for the profiler.
   *
   * @param bytes heap bytes per key
   */
  public static void publish(double bytes) {
    bytesPerKey = bytes;
  }

  /** Forgets the figure, when the trial ends. */
  public static void clear() {
    bytesPerKey = Double.NaN;
  }

  /**
   * The figure of the running trial.
   *
   * @return bytes per key, or NaN when no trial published one
   */
  public static double bytesPerKey() {
    return bytesPerKey;
  }
}
