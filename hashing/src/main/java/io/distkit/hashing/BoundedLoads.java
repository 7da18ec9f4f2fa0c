package io.distkit.hashing;

/** What the two bounded-load classes share: the ring they walk and the capacity rule. */
final class BoundedLoads {

  /** Absorbs floating-point error just above an integer, so the capacity never exceeds the exact bound. */
  private static final double EPSILON = 1e-9;

  private BoundedLoads() {}

  static double checkBalanceFactor(double balanceFactor) {
    if (!(balanceFactor > 1.0) || balanceFactor > 100.0) {
      throw new IllegalArgumentException("balanceFactor (" + balanceFactor + ") must be above 1 and at most 100");
    }
    return balanceFactor;
  }

  static <N extends Node> RingLocator<N> ring(NodeLocator<N> locator) {
    java.util.Objects.requireNonNull(locator, "ring");
    if (locator instanceof RingLocator<N> ring) {
      return ring;
    }
    throw new IllegalArgumentException("bounded loads walk a ring: the locator must be RING or KETAMA, not "
        + locator.algorithm());
  }

  /**
   * {@code ceil(c × total × weight / totalWeight)}: the most a node may hold when {@code total} items are
   * placed. Over all nodes the capacities add up to at least {@code c × total > total}, so some node always
   * has room.
   */
  static long capacity(double balanceFactor, long total, int weight, long totalWeight) {
    return (long) Math.ceil(balanceFactor * total * weight / totalWeight - EPSILON);
  }
}
