package io.distkit.hashing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * least c × keys, so a key always finds room within one turn of the ring, or among the nodes that own no point,
 * which the walk visits after the turn: a {@link Algorithm#KETAMA} server of tiny weight can have none).
 *
 * <p><b>History-independent:</b> the paper's placement rule (the first node with room, clockwise from the
 * key's hash) is applied to the current keys in one fixed order, ring order (by hash, then by the key itself),
 * so the assignment is a function of the current keys, nodes and c alone: every JVM computes the same one,
 * whatever order the keys were given in, and a change followed by its undo gives back the same assignment. A
 * key keeps its ring node unless that node is full; one that overflows goes to the next node with room, so a
 * change only moves keys along the run of full nodes after it. Changes ({@link #withKeys},
 * {@link #withoutKeys}, {@link #withLocator}) recompute the assignment for the new sets rather than moving keys
 * one at a time; {@link #movedKeys} lists what moved, for handing keys over.
 *
 * <p><b>Movement:</b> the paper bounds the expected number of keys moved by an insertion or deletion of a key
 * or node within a factor O(1/(c - 1)^2) of the least that must move. {@code BoundedLoadMovementTest} measures
 * the factor and pins it (see the module README for the numbers): adding or removing one key moves at most a few
 * others on average, and adding or removing a node moves close to that node's share.
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

  /**
   * The first node with room clockwise from the hash (then among the nodes that own no point); one exists
   * because the capacities add up to more than the keys.
   */
  private int place(long hash) {
    int start = ring.firstPointAtOrAfter(hash);
    for (int step = 0, steps = ring.walkLength(); step < steps; step++) {
      int owner = ring.walkNode(start, step);
      if (loads[owner] < capacities[owner]) {
        loads[owner]++;
        return owner;
      }
    }
    throw new AssertionError("capacities " + Arrays.toString(capacities) + " add up to less than " + keys.length);
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
    List<String> list = NodeChecks.nonNullCopy(keys, "keys");
    BoundedLoads.checkBalanceFactor(balanceFactor);
    if (r.size() == 0) {
      throw new IllegalArgumentException("a bounded-load assignment needs at least one node");
    }
    BoundedLoadAssignment<N> assignment = new BoundedLoadAssignment<>(r, balanceFactor, list.toArray(String[]::new));
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
    return assign(ring, balanceFactor, Arrays.asList(keys));
  }

  /**
   * These keys and more, over the same ring.
   *
   * @param added keys not yet assigned, distinct
   * @return the new assignment; this one is unchanged
   * @throws IllegalArgumentException when a key is already assigned or appears twice
   */
  public BoundedLoadAssignment<N> withKeys(Collection<String> added) {
    Objects.requireNonNull(added, "added");
    List<String> all = new ArrayList<>(keys.length + added.size());
    all.addAll(Arrays.asList(keys));
    all.addAll(added);
    return assign(ring, balanceFactor, all);
  }

  /**
   * These keys but some, over the same ring.
   *
   * @param removed assigned keys
   * @return the new assignment; this one is unchanged
   * @throws IllegalArgumentException when a key is not assigned
   */
  public BoundedLoadAssignment<N> withoutKeys(Collection<String> removed) {
    Objects.requireNonNull(removed, "removed");
    Set<String> gone = new HashSet<>(removed);
    for (String key : gone) {
      indexOf(key); // throws for a key that is not assigned
    }
    List<String> kept = new ArrayList<>(keys.length);
    for (String key : keys) {
      if (!gone.contains(key)) {
        kept.add(key);
      }
    }
    return assign(ring, balanceFactor, kept);
  }

  /**
   * The keys assigned here and in {@code after} whose node differs: what must be handed over to go from this
   * assignment to that one (keys only in one of them are additions or removals, not moves).
   *
   * @param after another assignment, typically {@code withKeys}, {@code withoutKeys} or {@code withLocator}
   *     of this one
   * @return the moved keys, in ring order
   */
  public List<String> movedKeys(BoundedLoadAssignment<N> after) {
    Objects.requireNonNull(after, "after");
    List<String> moved = new ArrayList<>();
    for (int k = 0; k < keys.length; k++) {
      long hash = after.ring.hasher == ring.hasher ? hashes[k] : after.ring.hash(keys[k]); // RING or KETAMA
      int there = after.indexOfOrMinus(keys[k], hash);
      if (there >= 0 && !after.ring.ids[after.owners[there]].equals(ring.ids[owners[k]])) {
        moved.add(keys[k]);
      }
    }
    return moved;
  }

  /**
   * The node a key is assigned to.
   *
   * @param key one of the assigned keys
   * @return its node
   * @throws IllegalArgumentException when the key is not one of the assigned keys
   */
  public N node(String key) {
    return ring.nodes.get(owners[indexOf(key)]);
  }

  private int indexOf(String key) {
    Objects.requireNonNull(key, "key");
    int k = indexOfOrMinus(key, ring.hash(key));
    if (k < 0) {
      throw new IllegalArgumentException("key '" + key + "' is not one of the " + keys.length + " assigned keys");
    }
    return k;
  }

  /** The key's position in the sorted arrays, or -1; its hash under this ring's hasher is given. */
  private int indexOfOrMinus(String key, long hash) {
    for (int k = SortedLongs.firstAtOrAbove(hashes, hash); k < hashes.length && hashes[k] == hash; k++) {
      if (keys[k].equals(key)) {
        return k;
      }
    }
    return -1;
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
    Objects.requireNonNull(nodeId, "nodeId");
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
