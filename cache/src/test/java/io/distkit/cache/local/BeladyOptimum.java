package io.distkit.cache.local;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The most hits any cache of a given size could have on a trace: Belady's MIN, which knows the future and, on a miss,
 * keeps whichever entries (the new one included) are needed again soonest. No real cache reaches it; it is the
 * ceiling the hit-rate test holds both caches under.
 */
final class BeladyOptimum {

  private BeladyOptimum() {}

  /**
   * Counts the hits of a clairvoyant cache.
   *
   * @param trace keys, 0 or more, in request order
   * @param capacity how many entries the cache holds: at least 1
   * @return how many requests find their key cached
   */
  static long hits(int[] trace, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity (" + capacity + ") must be at least 1");
    }
    int n = trace.length;
    int maxKey = 0;
    for (int key : trace) {
      if (key < 0) {
        throw new IllegalArgumentException("key (" + key + ") must be at least 0");
      }
      maxKey = Math.max(maxKey, key);
    }
    // nextUse[i]: the position of the next request for trace[i]; never again is n + i (unique, and later than any
    // position), so every cached entry has its own priority and a priority names its key
    long[] nextUse = new long[n];
    int[] last = new int[maxKey + 1];
    Arrays.fill(last, -1);
    for (int i = n - 1; i >= 0; i--) {
      int key = trace[i];
      nextUse[i] = last[key] >= 0 ? last[key] : (long) n + i;
      last[key] = i;
    }
    boolean[] cached = new boolean[maxKey + 1];
    TreeSet<Long> byNextUse = new TreeSet<>();
    long hits = 0;
    for (int i = 0; i < n; i++) {
      int key = trace[i];
      if (cached[key]) {
        hits++;
        byNextUse.remove((long) i); // its entry was due now
      } else {
        cached[key] = true;
      }
      byNextUse.add(nextUse[i]);
      if (byNextUse.size() > capacity) {
        long farthest = byNextUse.pollLast();
        cached[trace[(int) (farthest < n ? farthest : farthest - n)]] = false;
      }
    }
    return hits;
  }
}
