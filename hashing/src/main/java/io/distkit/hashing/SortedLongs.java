package io.distkit.hashing;

/** Search in sorted {@code long[]}s: ring points, sorted key hashes. */
final class SortedLongs {

  private SortedLongs() {}

  /**
   * The index of the first element at or above a value (the leftmost of equal elements).
   *
   * @param sorted ascending (signed) values
   * @param value what to look for
   * @return an index in {@code [0, sorted.length]}; {@code sorted.length} when every element is smaller
   */
  public static int firstAtOrAbove(long[] sorted, long value) {
    return firstAtOrAbove(sorted, 0, sorted.length, value);
  }

  /**
   * The index of the first element of {@code sorted[from, to)} at or above a value.
   *
   * @param sorted ascending (signed) values
   * @param from the first index searched
   * @param to one past the last index searched
   * @param value what to look for
   * @return an index in {@code [from, to]}; {@code to} when every element searched is smaller
   */
  public static int firstAtOrAbove(long[] sorted, int from, int to, long value) {
    int low = from;
    int high = to;
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
