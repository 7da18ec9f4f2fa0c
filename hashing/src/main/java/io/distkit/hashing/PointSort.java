package io.distkit.hashing;

import java.util.function.IntBinaryOperator;

/**
 * Sorts a ring's points together with their owners, on primitive arrays (a ring can have millions of points;
 * boxing each into an object to sort it would cost more than the ring).
 */
final class PointSort {

  private PointSort() {}

  /**
   * Sorts {@code points} ascending, moving {@code owners} along; equal points are ordered by
   * {@code ownerOrder}. Stable merge sort, O(n log n), one temporary copy of each array.
   *
   * @param points the ring positions, sorted in place
   * @param owners the owner of each point, permuted in place the same way
   * @param ownerOrder compares two owners, for the rare equal points
   */
  public static void sort(long[] points, int[] owners, IntBinaryOperator ownerOrder) {
    long[] pointsTmp = points.clone();
    int[] ownersTmp = owners.clone();
    mergeSort(pointsTmp, ownersTmp, points, owners, 0, points.length, ownerOrder);
  }

  /** Sorts src[from, to) into dst[from, to); src and dst start as equal copies. */
  private static void mergeSort(long[] srcP, int[] srcO, long[] dstP, int[] dstO, int from, int to,
      IntBinaryOperator ownerOrder) {
    if (to - from < 2) {
      return;
    }
    int mid = (from + to) >>> 1;
    // sort each half of dst into src, then merge the halves of src back into dst
    mergeSort(dstP, dstO, srcP, srcO, from, mid, ownerOrder);
    mergeSort(dstP, dstO, srcP, srcO, mid, to, ownerOrder);
    int left = from;
    int right = mid;
    for (int out = from; out < to; out++) {
      boolean takeLeft = right >= to
          || left < mid && compare(srcP[left], srcO[left], srcP[right], srcO[right], ownerOrder) <= 0;
      if (takeLeft) {
        dstP[out] = srcP[left];
        dstO[out] = srcO[left++];
      } else {
        dstP[out] = srcP[right];
        dstO[out] = srcO[right++];
      }
    }
  }

  private static int compare(long p1, int o1, long p2, int o2, IntBinaryOperator ownerOrder) {
    int byPoint = Long.compare(p1, p2);
    return byPoint != 0 ? byPoint : ownerOrder.applyAsInt(o1, o2);
  }
}
