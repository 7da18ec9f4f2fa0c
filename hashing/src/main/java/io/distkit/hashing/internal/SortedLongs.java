package io.distkit.hashing.internal;

/** Search in sorted {@code long[]}s: ring points, sorted key hashes. Not API. */
public final class SortedLongs {

  private SortedLongs() {}

  /**
   * The index of the first element at or above a value (the leftmost of equal elements).
   *
   * @param sorted ascending (signed) values
   * @param value what to look for
   * @return an index in {@code [0, sorted.length]}; {@code sorted.length} when every element is smaller
   */
  public static int firstAtOrAbove(long[] sorted, long value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (sorted[mid] < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
