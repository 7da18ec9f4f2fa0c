package io.distkit.hashing;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An algorithm and its settings: the recipe for building {@link NodeLocator}s. Immutable and thread-safe;
 * build it once and use it for every snapshot, so every JVM (and every membership version) gets the same
 * layout for the same nodes.
 *
 * <pre>{@code
 * NodeLocator<Server> ring = LocatorConfig.ring().locator(servers);
 * NodeLocator<Server> maglev = LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(10_007).build()
 *     .locator(servers);
 * }</pre>
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>algorithm</th><th>default</th></tr>
 *   <tr><td>{@link Builder#vnodesPerWeight(int) vnodesPerWeight}</td><td>RING</td>
 *       <td>{@value #DEFAULT_VNODES_PER_WEIGHT} points per unit of weight</td></tr>
 *   <tr><td>{@link Builder#maglevTableSize(int) maglevTableSize}</td><td>MAGLEV</td>
 *       <td>{@value #DEFAULT_MAGLEV_TABLE_SIZE} slots, whatever the node count (a group that grows never rebuilds
 *       its table); for more than about 600 nodes size it once for the largest group, with
 *       {@link #maglevTableSizeFor(int)}</td></tr>
 * </table>
 */
public final class LocatorConfig {

  /** Ring points per unit of node weight unless configured: about 8% standard deviation of node shares. */
  public static final int DEFAULT_VNODES_PER_WEIGHT = 160;

  /**
   * The Maglev table size unless configured, the paper's: a prime with at least {@value #MAGLEV_SLOTS_PER_NODE}
   * slots per node up to 655 nodes. It does not change with the node count: a table size that did would build
   * a new table, and move nearly every key, whenever the count crossed a step.
   */
  public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

  /**
   * The slots per node that {@link #maglevTableSizeFor(int)} gives at least: table shares then differ from the
   * node's exact share by at most 1% of it (peak-to-mean at most {@code 1 + nodes/M}).
   */
  public static final int MAGLEV_SLOTS_PER_NODE = 100;

  /** The most points a ring may have (12 bytes each: 120 MB). */
  public static final int MAX_RING_POINTS = 10_000_000;

  /** The largest Maglev table (4 bytes per slot: 160 MB). */
  public static final int MAX_MAGLEV_TABLE_SIZE = 40_000_003;

  /** The sizes maglevTableSizeFor picks from: the first prime at or above 2^16, 2^17, ..., 2^25, then the largest. */
  private static final int[] MAGLEV_STEPS = maglevSteps();

  private final Algorithm algorithm;
  private final int vnodesPerWeight;
  /** 0: not set, {@link #DEFAULT_MAGLEV_TABLE_SIZE}. */
  private final int maglevTableSize;

  private LocatorConfig(Algorithm algorithm, int vnodesPerWeight, int maglevTableSize) {
    this.algorithm = algorithm;
    this.vnodesPerWeight = vnodesPerWeight;
    this.maglevTableSize = maglevTableSize;
  }

  /**
   * {@link Algorithm#RING} with {@value #DEFAULT_VNODES_PER_WEIGHT} points per unit of weight.
   *
   * @return the config
   */
  public static LocatorConfig ring() {
    return builder(Algorithm.RING).build();
  }

  /**
   * {@link Algorithm#KETAMA}, libmemcached's weighted ketama layout.
   *
   * @return the config
   */
  public static LocatorConfig ketama() {
    return builder(Algorithm.KETAMA).build();
  }

  /**
   * {@link Algorithm#JUMP}.
   *
   * @return the config
   */
  public static LocatorConfig jump() {
    return builder(Algorithm.JUMP).build();
  }

  /**
   * {@link Algorithm#RENDEZVOUS}.
   *
   * @return the config
   */
  public static LocatorConfig rendezvous() {
    return builder(Algorithm.RENDEZVOUS).build();
  }

  /**
   * {@link Algorithm#MAGLEV} with a table of {@value #DEFAULT_MAGLEV_TABLE_SIZE} slots.
   *
   * @return the config
   */
  public static LocatorConfig maglev() {
    return builder(Algorithm.MAGLEV).build();
  }

  /**
   * Starts configuring an algorithm.
   *
   * @param algorithm the algorithm
   * @return a builder with every setting at its default
   */
  public static Builder builder(Algorithm algorithm) {
    return new Builder(Objects.requireNonNull(algorithm, "algorithm"));
  }

  /**
   * Builds a locator over some nodes. The nodes' ids and weights are read once, here.
   *
   * @param nodes the nodes, distinct ids; may be empty (the locator then refuses lookups until nodes come)
   * @param <N> the node type
   * @return the locator
   * @throws NullPointerException naming {@code nodes} or its null element ({@code "nodes[2]"})
   * @throws IllegalArgumentException when two nodes share an id, an id or weight is invalid, a
   *     {@link Algorithm#JUMP} node has a weight other than 1, or the nodes need more ring points or table
   *     slots than the limits allow
   */
  public <N extends Node> NodeLocator<N> locator(Collection<? extends N> nodes) {
    List<N> list = NodeChecks.nonNullCopy(nodes, "nodes");
    Set<String> seen = new HashSet<>();
    long weightSum = 0;
    for (N node : list) {
      String id = NodeChecks.check(node.nodeId(), node.weight());
      if (!seen.add(id)) {
        throw new IllegalArgumentException("nodeId '" + id + "' appears twice: node ids must be distinct");
      }
      if (algorithm == Algorithm.JUMP && node.weight() != 1) {
        throw new IllegalArgumentException("weight (" + node.weight() + ") of node '" + id + "' must be 1: "
            + "jump hash has no weights (use RING, RENDEZVOUS or MAGLEV)");
      }
      weightSum += node.weight();
    }
    return switch (algorithm) {
      case RING -> {
        long points = weightSum * vnodesPerWeight;
        if (points > MAX_RING_POINTS) {
          throw new IllegalArgumentException("ring points (" + points + " = total weight " + weightSum
              + " × vnodesPerWeight " + vnodesPerWeight + ") must be at most " + MAX_RING_POINTS);
        }
        yield RingLocator.xxh3(this, list);
      }
      case KETAMA -> RingLocator.ketama(this, list);
      case JUMP -> new JumpLocator<>(this, list);
      case RENDEZVOUS -> new RendezvousLocator<>(this, list);
      case MAGLEV -> {
        int tableSize = maglevTableSize();
        if (list.size() > tableSize) {
          throw new IllegalArgumentException("maglevTableSize (" + tableSize + ") must be at least the "
              + "number of nodes (" + list.size() + "); LocatorConfig.maglevTableSizeFor(" + list.size() + ") = "
              + maglevTableSizeFor(list.size()) + " keeps peak-to-mean within 1%");
        }
        yield new MaglevLocator<>(this, list, tableSize);
      }
    };
  }

  /**
   * The algorithm.
   *
   * @return the algorithm
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * Ring points per unit of weight ({@link Algorithm#RING} only).
   *
   * @return the setting; {@value #DEFAULT_VNODES_PER_WEIGHT} unless configured
   */
  public int vnodesPerWeight() {
    return vnodesPerWeight;
  }

  /**
   * The Maglev table size ({@link Algorithm#MAGLEV} only).
   *
   * @return the prime given to {@link Builder#maglevTableSize(int)}, or {@value #DEFAULT_MAGLEV_TABLE_SIZE}
   */
  public int maglevTableSize() {
    return maglevTableSize == 0 ? DEFAULT_MAGLEV_TABLE_SIZE : maglevTableSize;
  }

  /**
   * A Maglev table size for a group that will have at most {@code largestGroup} nodes: the smallest of the
   * primes 65,537, 131,101, 262,147, 524,309, 1,048,583, ... (the first prime at or above 2<sup>16+k</sup>)
   * with at least {@value #MAGLEV_SLOTS_PER_NODE} slots per node, at most {@value #MAX_MAGLEV_TABLE_SIZE}.
   * Choose it once, for the largest the group may grow to, and give it to {@link Builder#maglevTableSize(int)}
   * on every JVM: every locator of the group must use the same size, and changing it moves nearly every key.
   * A larger table also moves fewer keys beyond the minimum when a node joins or leaves (see the module README).
   *
   * @param largestGroup the most nodes the group may have, at least 0
   * @return a prime
   * @throws IllegalArgumentException when largestGroup is negative
   */
  public static int maglevTableSizeFor(int largestGroup) {
    if (largestGroup < 0) {
      throw new IllegalArgumentException("largestGroup (" + largestGroup + ") must be at least 0");
    }
    long wanted = (long) MAGLEV_SLOTS_PER_NODE * largestGroup;
    int step = 0;
    while (step < MAGLEV_STEPS.length - 1 && MAGLEV_STEPS[step] < wanted) {
      step++;
    }
    return MAGLEV_STEPS[step];
  }

  private static int[] maglevSteps() {
    int[] steps = new int[11];
    for (int k = 0; k < 10; k++) {
      steps[k] = Primes.nextPrime(1 << (16 + k));
    }
    steps[10] = MAX_MAGLEV_TABLE_SIZE;
    return steps;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LocatorConfig other && algorithm == other.algorithm
        && vnodesPerWeight == other.vnodesPerWeight && maglevTableSize() == other.maglevTableSize();
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, vnodesPerWeight, maglevTableSize());
  }

  @Override
  public String toString() {
    return switch (algorithm) {
      case RING -> "RING(vnodesPerWeight " + vnodesPerWeight + ")";
      case MAGLEV -> "MAGLEV(maglevTableSize " + maglevTableSize() + ")";
      default -> algorithm.name();
    };
  }

  /** Configures a {@link LocatorConfig}. Not thread-safe. */
  public static final class Builder {
    private final Algorithm algorithm;
    private int vnodesPerWeight = DEFAULT_VNODES_PER_WEIGHT;
    private int maglevTableSize;

    private Builder(Algorithm algorithm) {
      this.algorithm = algorithm;
    }

    /**
     * Ring points per unit of node weight: a node of weight w gets {@code w × vnodesPerWeight} points. More
     * points balance better (standard deviation of shares about {@code 1/sqrt(vnodesPerWeight)}) and cost 16 to
     * 20 bytes each (the point, its owner, and its share of the lookup table); lookups stay O(1).
     *
     * @param vnodesPerWeight 1 to 100,000; default {@value #DEFAULT_VNODES_PER_WEIGHT}
     * @return this builder
     * @throws IllegalArgumentException when out of range, or the algorithm is not {@link Algorithm#RING}
     */
    public Builder vnodesPerWeight(int vnodesPerWeight) {
      requireAlgorithm(Algorithm.RING, "vnodesPerWeight");
      if (vnodesPerWeight < 1 || vnodesPerWeight > 100_000) {
        throw new IllegalArgumentException("vnodesPerWeight (" + vnodesPerWeight + ") must be between 1 and "
            + "100000");
      }
      this.vnodesPerWeight = vnodesPerWeight;
      return this;
    }

    /**
     * The Maglev lookup table's size M, a prime, fixed whatever the node count. Peak-to-mean load is at most
     * {@code 1 + nodes/M}: keep M at least 100 × nodes for 1%. A larger table also moves fewer extra keys when
     * a node joins or leaves (see the module README). Costs 4 bytes per slot, and building the table takes
     * O(M log M).
     *
     * @param maglevTableSize a prime from 3 to {@value #MAX_MAGLEV_TABLE_SIZE}; default
     *     {@value #DEFAULT_MAGLEV_TABLE_SIZE}; {@link LocatorConfig#maglevTableSizeFor(int)} picks one for a large
     *     group
     * @return this builder
     * @throws IllegalArgumentException when not a prime or out of range, or the algorithm is not
     *     {@link Algorithm#MAGLEV}
     */
    public Builder maglevTableSize(int maglevTableSize) {
      requireAlgorithm(Algorithm.MAGLEV, "maglevTableSize");
      if (maglevTableSize < 3 || maglevTableSize > MAX_MAGLEV_TABLE_SIZE) {
        throw new IllegalArgumentException("maglevTableSize (" + maglevTableSize + ") must be between 3 and "
            + MAX_MAGLEV_TABLE_SIZE);
      }
      if (!Primes.isPrime(maglevTableSize)) {
        throw new IllegalArgumentException("maglevTableSize (" + maglevTableSize + ") must be prime, e.g. "
            + Primes.nextPrime(maglevTableSize));
      }
      this.maglevTableSize = maglevTableSize;
      return this;
    }

    private void requireAlgorithm(Algorithm expected, String setting) {
      if (algorithm != expected) {
        throw new IllegalArgumentException(setting + " applies to " + expected + ", not " + algorithm);
      }
    }

    /**
     * Creates the config.
     *
     * @return an immutable config
     */
    public LocatorConfig build() {
      return new LocatorConfig(algorithm, vnodesPerWeight, maglevTableSize);
    }
  }
}
