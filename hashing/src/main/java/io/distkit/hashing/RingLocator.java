package io.distkit.hashing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link Algorithm#RING} and {@link Algorithm#KETAMA}: sorted points on a circle, in two primitive arrays
 * (positions and owners), searched through a bucket table ({@link PointIndex}) in O(1) expected time. A key
 * belongs to the first point at or after its hash, wrapping past the largest point to the first.
 */
final class RingLocator<N extends Node> extends AbstractLocator<N> {

  /** Libmemcached's {@code MEMCACHED_POINTS_PER_SERVER_KETAMA}. */
  private static final int KETAMA_POINTS_PER_SERVER = 160;

  /** Sorted ascending (signed). */
  final long[] points;
  /** {@code owners[i]} is the index in {@link #nodes} of the node that owns {@code points[i]}. */
  final int[] owners;
  /**
   * Nodes that own no point, in id order (only KETAMA: libmemcached gives a node of tiny weight none); they
   * come after the ring's nodes in every preference list and every bounded-load walk.
   */
  final int[] pointless;
  private final PointIndex index;

  private RingLocator(LocatorConfig config, List<N> nodes, KeyHasher hasher, long[] points, int[] owners,
      PointIndex index) {
    super(config, nodes, hasher);
    this.points = points;
    this.owners = owners;
    this.pointless = ownerless(owners, ids);
    this.index = index;
  }

  /** A ring of {@code weight × vnodesPerWeight} XXH3 points per node, the point of "id#i" for each i. */
  static <N extends Node> RingLocator<N> xxh3(LocatorConfig config, List<N> nodes) {
    int total = 0;
    for (N node : nodes) {
      total += node.weight() * config.vnodesPerWeight();
    }
    long[] points = new long[total];
    int[] owners = new int[total];
    int p = 0;
    for (int i = 0; i < nodes.size(); i++) {
      String id = nodes.get(i).nodeId();
      int count = nodes.get(i).weight() * config.vnodesPerWeight();
      for (int v = 0; v < count; v++) {
        points[p] = Xxh3Hasher.INSTANCE.hash(id + "#" + v);
        owners[p++] = i;
      }
    }
    // equal points (astronomically rare with 64 bits) go to the smaller id, so the ring depends only on the
    // set of nodes, never on their order
    PointSort.sort(points, owners, (a, b) -> nodes.get(a).nodeId().compareTo(nodes.get(b).nodeId()));
    return new RingLocator<>(config, nodes, Xxh3Hasher.INSTANCE, points, owners,
        new PointIndex(points, Long.MIN_VALUE, 64));
  }

  /**
   * Libmemcached's weighted ketama continuum: per node, {@code floor(pct × 160 / 4 × n + 1e-10) × 4} points
   * computed in single precision as libmemcached does, four per MD5 of {@code "<id>-<i>"}; equal points are
   * ordered by node position, as libmemcached's qsort comparator orders them.
   */
  static <N extends Node> RingLocator<N> ketama(LocatorConfig config, List<N> nodes) {
    long totalWeight = 0;
    for (N node : nodes) {
      totalWeight += node.weight();
    }
    int n = nodes.size();
    int[] perNode = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      float pct = (float) nodes.get(i).weight() / (float) totalWeight;
      float scaled = pct * KETAMA_POINTS_PER_SERVER / 4 * (float) n + 0.0000000001f;
      perNode[i] = (int) Math.floor(scaled) * 4;
      total += perNode[i];
    }
    if (total > LocatorConfig.MAX_RING_POINTS) {
      throw new IllegalArgumentException("ketama points (" + total + " for " + n + " nodes, about 160 per node) "
          + "must be at most " + LocatorConfig.MAX_RING_POINTS + ": at most about 62,500 nodes");
    }
    long[] points = new long[(int) total];
    int[] owners = new int[(int) total];
    int p = 0;
    for (int i = 0; i < n; i++) {
      String id = nodes.get(i).nodeId();
      for (int h = 0; h < perNode[i] / 4; h++) {
        byte[] digest = Md5Hasher.digest((id + "-" + h).getBytes(StandardCharsets.UTF_8));
        for (int word = 0; word < 4; word++) {
          points[p] = Md5Hasher.word(digest, word);
          owners[p++] = i;
        }
      }
    }
    PointSort.sort(points, owners, Integer::compare);
    // ketama's points and key hashes are 32-bit, unsigned
    return new RingLocator<>(config, nodes, Md5Hasher.INSTANCE, points, owners, new PointIndex(points, 0, 32));
  }

  /** The index of the first point at or after {@code hash}, wrapping to 0 past the end. */
  int firstPointAtOrAfter(long hash) {
    int p = index.firstAtOrAbove(hash);
    return p == points.length ? 0 : p;
  }

  /** The steps of a bounded-load walk: one full turn of the points, then the point-less nodes. */
  int walkLength() {
    return points.length + pointless.length;
  }

  /**
   * The node at one step of a bounded-load walk that starts at point {@code start}: clockwise round the ring,
   * then the nodes that own no point, in id order, so the walk meets every node. Allocation-free.
   *
   * @param start {@link #firstPointAtOrAfter(long)} of the key's hash
   * @param step from 0 to {@link #walkLength()} - 1
   * @return a node index
   */
  int walkNode(int start, int step) {
    if (step >= points.length) {
      return pointless[step - points.length];
    }
    int p = start + step;
    return owners[p >= points.length ? p - points.length : p];
  }

  @Override
  int index(long hash) {
    return owners[firstPointAtOrAfter(hash)];
  }

  @Override
  int indices(long hash, int[] into) {
    // clockwise from the key, skipping nodes already taken; one full turn meets every node that owns a point
    int wanted = Math.min(into.length, ids.length);
    int found = distinctOwners(owners, firstPointAtOrAfter(hash), into, wanted);
    return found < wanted ? pad(into, found, wanted, pointless) : found;
  }

  @Override
  public long tableBytes() {
    return ARRAY_HEADER + 8L * points.length + ARRAY_HEADER + 4L * owners.length + index.tableBytes();
  }
}
