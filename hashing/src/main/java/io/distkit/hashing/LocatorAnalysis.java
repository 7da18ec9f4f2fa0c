package io.distkit.hashing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Measures how well a placement spreads keys, and how many keys move between two snapshots, on a sample of
 * keys. The numbers in the module README come from here (via {@code io.distkit.examples.HashingReport}).
 *
 * <pre>{@code
 * List<String> keys = LocatorAnalysis.sampleKeys(1_000_000, 42);
 * LocatorAnalysis.Balance balance = LocatorAnalysis.balance(locator, keys);      // peak-to-mean, std dev
 * LocatorAnalysis.Movement moved = LocatorAnalysis.movement(locator, locator.withNode(extra), keys);
 * }</pre>
 *
 * <p>Loads are weighted: a node's load is compared with its fair share, {@code keys × weight / totalWeight}.
 * Stateless and thread-safe.
 */
public final class LocatorAnalysis {

  private LocatorAnalysis() {}

  /**
   * How evenly keys spread over nodes.
   *
   * @param nodes how many nodes took part
   * @param keys how many keys were placed
   * @param peakToMean the largest load divided by its fair share (1.0 is perfect; 1.10 means the busiest
   *     node has 10% more than its share)
   * @param relativeStdDev the standard deviation of load / fair share over the nodes (0.0 is perfect)
   * @param minToMean the smallest load divided by its fair share
   * @param loads keys per node id, in the nodes' order
   */
  public record Balance(int nodes, long keys, double peakToMean, double relativeStdDev, double minToMean,
      Map<String, Long> loads) {

    /**
     * Copies the loads.
     *
     * @param nodes how many nodes took part
     * @param keys how many keys were placed
     * @param peakToMean the largest load divided by its fair share
     * @param relativeStdDev the standard deviation of load / fair share
     * @param minToMean the smallest load divided by its fair share
     * @param loads keys per node id
     */
    public Balance {
      Objects.requireNonNull(loads, "loads");
      loads = Collections.unmodifiableMap(new LinkedHashMap<>(loads));
    }
  }

  /**
   * How many keys changed node between two placements.
   *
   * @param keys how many keys were compared
   * @param moved how many of them map to a different node id
   */
  public record Movement(long keys, long moved) {

    /**
     * The fraction of keys that moved.
     *
     * @return {@code moved / keys}, 0 for no keys
     */
    public double fraction() {
      return keys == 0 ? 0 : (double) moved / keys;
    }
  }

  /**
   * A reproducible sample of distinct keys that look like application keys ({@code "user:3k9x0f2..."}).
   *
   * @param count how many, at least 1
   * @param seed the random seed: the same seed gives the same keys
   * @return the keys
   */
  public static List<String> sampleKeys(int count, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("count (" + count + ") must be positive");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      // the index keeps keys distinct; the random part keeps them from sharing long prefixes
      keys.add("user:" + Long.toString(random.nextLong() >>> 1, 36) + ":" + i);
    }
    return keys;
  }

  /**
   * How evenly a locator spreads keys.
   *
   * @param locator a locator with at least one node
   * @param keys the sample
   * @param <N> the node type
   * @return the balance
   */
  public static <N extends Node> Balance balance(NodeLocator<N> locator, Collection<String> keys) {
    Objects.requireNonNull(locator, "locator");
    Objects.requireNonNull(keys, "keys");
    long[] counts = new long[locator.size()];
    for (String key : keys) {
      counts[locator.nodeIndex(locator.hash(key))]++;
    }
    return balance(locator.nodes(), counts);
  }

  /**
   * How evenly any placement spreads keys, e.g. a {@link BoundedLoadAssignment}'s {@code node} method.
   *
   * @param nodes every node that may receive keys
   * @param keys the sample
   * @param placement the node of each key; must return one of {@code nodes} (by id)
   * @return the balance
   * @throws IllegalArgumentException when the placement returns a node not among {@code nodes}
   */
  public static Balance balance(List<? extends Node> nodes, Collection<String> keys,
      Function<String, ? extends Node> placement) {
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(placement, "placement");
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).nodeId(), i);
    }
    long[] counts = new long[nodes.size()];
    for (String key : keys) {
      String id = placement.apply(key).nodeId();
      Integer at = index.get(id);
      if (at == null) {
        throw new IllegalArgumentException("key '" + key + "' was placed on node '" + id + "', which is not "
            + "among the " + nodes.size() + " nodes given");
      }
      counts[at]++;
    }
    return balance(nodes, counts);
  }

  private static Balance balance(List<? extends Node> nodes, long[] counts) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes must not be empty");
    }
    long keys = 0;
    long totalWeight = 0;
    for (int i = 0; i < counts.length; i++) {
      keys += counts[i];
      totalWeight += nodes.get(i).weight();
    }
    double peak = 0;
    double min = Double.MAX_VALUE;
    double squares = 0;
    Map<String, Long> loads = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      double share = (double) keys * nodes.get(i).weight() / totalWeight;
      double ratio = share == 0 ? 0 : counts[i] / share;
      peak = Math.max(peak, ratio);
      min = Math.min(min, ratio);
      squares += (ratio - 1) * (ratio - 1);
      loads.put(nodes.get(i).nodeId(), counts[i]);
    }
    return new Balance(nodes.size(), keys, peak, Math.sqrt(squares / counts.length), min, loads);
  }

  /**
   * How many keys map to a different node in {@code after} than in {@code before}, compared by node id.
   *
   * @param before the old snapshot
   * @param after the new snapshot
   * @param keys the sample
   * @param <N> the node type
   * @return the movement
   */
  public static <N extends Node> Movement movement(NodeLocator<N> before, NodeLocator<N> after,
      Collection<String> keys) {
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    return movement(keys, before::locate, after::locate);
  }

  /**
   * How many keys map to a different node under {@code after} than under {@code before}, compared by node id.
   *
   * @param keys the sample
   * @param before the old placement
   * @param after the new placement
   * @return the movement
   */
  public static Movement movement(Collection<String> keys, Function<String, ? extends Node> before,
      Function<String, ? extends Node> after) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    long moved = 0;
    for (String key : keys) {
      if (!Objects.equals(before.apply(key).nodeId(), after.apply(key).nodeId())) {
        moved++;
      }
    }
    return new Movement(keys.size(), moved);
  }
}
