package io.distkit.hashing;

import io.distkit.hashing.internal.PointSort;
import io.distkit.hashing.internal.SortedLongs;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consistent hashing with bounded loads for a known set of keys (Mirrokni, Thorup and Zadimoghaddam,
 * "Consistent Hashing with Bounded Loads", SODA 2018): every key goes to the first node clockwise on the ring
 * from its hash that still has room, where a node of weight w has room for
 * {@code ceil(c × keys × w / totalWeight)} keys.
 *
 * <pre>{@code
 * // 1,024 partitions over the live servers, none above 1.1 × its share
 * BoundedLoadAssignment<Server> partitions = BoundedLoadAssignment.assign(ring, 1.1, partitionIds);
 * Server owner = partitions.node("partition-17");
 * }</pre>
 *
 * <p><b>Guarantee:</b> no node holds more than its capacity, for every c &gt; 1 (the capacities add up to at
 * least c × keys, so a key always finds room within one turn of the ring).
 *
 * <p><b>Deterministic:</b> keys are placed in ring order (by hash, then by the key itself), so the same keys,
 * nodes and c give the same assignment in every JVM, whatever order the keys were given in. Keys keep their
 * ring node unless it is full; a key that overflows goes to the next node with room, so changes stay local to
 * the overflowing arcs. The assignment is recomputed as a whole for a new ring
 * ({@link #withLocator(NodeLocator)}); the movement that causes is measured, not bounded: see
 * {@link LocatorAnalysis#movement} and the module README.
 *
 * <p>Immutable and thread-safe. {@link #node(String)} allocates nothing for ASCII keys.
 *
 * @param <N> the node type
 */
public final class BoundedLoadAssignment<N extends Node> {

  private final RingLocator<N> ring;
  private final double balanceFactor;
  /** The keys sorted by (hash, key), their hashes, and each one's node index. */
  private final String[] keys;
  private final long[] hashes;
  private final int[] owners;
  private final int[] loads;
  private final long[] capacities;

  private BoundedLoadAssignment(RingLocator<N> ring, double balanceFactor, String[] keys) {
    this.ring = ring;
    this.balanceFactor = balanceFactor;
    int m = keys.length;
    long[] sortedHashes = new long[m];
    int[] order = new int[m];
    for (int k = 0; k < m; k++) {
      sortedHashes[k] = ring.hash(keys[k]);
      order[k] = k;
    }
    PointSort.sort(sortedHashes, order, (a, b) -> keys[a].compareTo(keys[b]));
    this.hashes = sortedHashes;
    this.keys = new String[m];
    for (int k = 0; k < m; k++) {
      this.keys[k] = keys[order[k]];
    }
    int n = ring.size();
    long totalWeight = 0;
    for (int w : ring.weights) {
      totalWeight += w;
    }
    this.capacities = new long[n];
    for (int i = 0; i < n; i++) {
      capacities[i] = BoundedLoads.capacity(balanceFactor, m, ring.weights[i], totalWeight);
    }
    this.loads = new int[n];
    this.owners = new int[m];
    for (int k = 0; k < m; k++) {
      owners[k] = place(hashes[k]);
    }
  }

  /** The first node clockwise from the hash with room; one exists because capacities add up to more than m. */
  private int place(long hash) {
    int p = ring.firstPointAtOrAfter(hash);
    for (int step = 0; step < ring.points.length; step++) {
      int owner = ring.owners[p];
      if (loads[owner] < capacities[owner]) {
        loads[owner]++;
        return owner;
      }
      p = p + 1 == ring.points.length ? 0 : p + 1;
    }
    throw new IllegalStateException("no node has room: capacities " + java.util.Arrays.toString(capacities));
  }

  /**
   * Assigns keys to the nodes of a ring.
   *
   * @param ring a {@link Algorithm#RING} or {@link Algorithm#KETAMA} locator with at least one node
   * @param balanceFactor c, above 1 and at most 100: no node gets more than {@code ceil(c × its share)}
   * @param keys distinct keys
   * @param <N> the node type
   * @return the assignment
   * @throws IllegalArgumentException when the locator is not a ring or is empty, c is out of range, or a key
   *     appears twice
   */
  public static <N extends Node> BoundedLoadAssignment<N> assign(NodeLocator<N> ring, double balanceFactor,
      Collection<String> keys) {
    RingLocator<N> r = BoundedLoads.ring(ring);
    BoundedLoads.checkBalanceFactor(balanceFactor);
    if (r.size() == 0) {
      throw new IllegalArgumentException("a bounded-load assignment needs at least one node");
    }
    BoundedLoadAssignment<N> assignment = new BoundedLoadAssignment<>(r, balanceFactor, keys.toArray(String[]::new));
    assignment.checkDistinct();
    return assignment;
  }

  private void checkDistinct() {
    for (int k = 1; k < keys.length; k++) {
      if (hashes[k] == hashes[k - 1] && keys[k].equals(keys[k - 1])) {
        throw new IllegalArgumentException("key '" + keys[k] + "' appears twice: keys must be distinct");
      }
    }
  }

  /**
   * The same keys, assigned over another ring (nodes added, removed or re-weighted).
   *
   * @param ring a {@link Algorithm#RING} or {@link Algorithm#KETAMA} locator with at least one node
   * @return the new assignment; this one is unchanged
   */
  public BoundedLoadAssignment<N> withLocator(NodeLocator<N> ring) {
    return assign(ring, balanceFactor, java.util.Arrays.asList(keys));
  }

  /**
   * The node a key is assigned to.
   *
   * @param key one of the assigned keys
   * @return its node
   * @throws IllegalArgumentException when the key is not one of the assigned keys
   */
  public N node(String key) {
    long hash = ring.hash(key);
    for (int k = SortedLongs.firstAtOrAbove(hashes, hash); k < hashes.length && hashes[k] == hash; k++) {
      if (keys[k].equals(key)) {
        return ring.nodes.get(owners[k]);
      }
    }
    throw new IllegalArgumentException("key '" + key + "' is not one of the " + keys.length + " assigned keys");
  }

  /**
   * How many keys each node holds.
   *
   * @return node id to load, in {@code locator().nodes()} order
   */
  public Map<String, Integer> loads() {
    Map<String, Integer> result = new LinkedHashMap<>();
    for (int i = 0; i < loads.length; i++) {
      result.put(ring.ids[i], loads[i]);
    }
    return result;
  }

  /**
   * The most keys a node may hold: {@code ceil(c × keys × weight / totalWeight)}.
   *
   * @param nodeId the node's id
   * @return the capacity, or 0 when no node has that id
   */
  public long capacity(String nodeId) {
    int at = ring.positionOf(nodeId);
    return at < 0 ? 0 : capacities[at];
  }

  /**
   * How many keys are assigned.
   *
   * @return the number of keys
   */
  public int size() {
    return keys.length;
  }

  /**
   * The ring.
   *
   * @return the locator the keys were assigned over
   */
  public NodeLocator<N> locator() {
    return ring;
  }

  /**
   * The balance factor c.
   *
   * @return c, above 1
   */
  public double balanceFactor() {
    return balanceFactor;
  }

  @Override
  public String toString() {
    return "BoundedLoadAssignment[c " + balanceFactor + ", " + keys.length + " keys, " + ring + "]";
  }
}
