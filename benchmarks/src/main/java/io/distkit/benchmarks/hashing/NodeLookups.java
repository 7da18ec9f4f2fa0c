package io.distkit.benchmarks.hashing;

import com.google.common.hash.Hashing;
import io.distkit.hashing.LocatorConfig;
import io.distkit.hashing.Node;
import io.distkit.hashing.NodeLocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The lookups under test, by {@code implementation} {@code @Param} value.
 *
 * <p>The baselines and distkit's locators get the same precomputed 64-bit key hash: distkit's through
 * {@link NodeLocator#nodeIndex(long)}, its allocation-free lookup of a hash, then the node at that index. Two
 * exceptions go through {@link NodeLocator#locate(String)} with the key itself: {@value #DISTKIT_KETAMA},
 * whose points are 32-bit MD5 prefixes (a 64-bit hash would not land among them), and
 * {@value #DISTKIT_RING_LOCATE}, distkit's ring as a caller uses it, hashing the key (XXH3) inside the
 * measurement. Rings get {@value TreeMapRing#VIRTUAL_NODES} points per node, like the baseline.
 */
public final class NodeLookups {

  /** The {@code TreeMap} ring: {@link TreeMapRing}. */
  public static final String TREEMAP_RING = "treemap-ring";

  /** Guava's {@code Hashing.consistentHash} (jump consistent hash), given the key's hash. */
  public static final String GUAVA_JUMP = "guava-jump";

  /** distkit's {@code RING}: sorted points, found through a bucket table. */
  public static final String DISTKIT_RING = "distkit-ring";

  /** distkit's {@code RING} through {@code locate(String)}: the key's XXH3 hash included. */
  public static final String DISTKIT_RING_LOCATE = "distkit-ring-locate";

  /** distkit's {@code KETAMA} (libmemcached's layout) through {@code locate(String)}: MD5 of the key included. */
  public static final String DISTKIT_KETAMA = "distkit-ketama";

  /** distkit's {@code JUMP}. */
  public static final String DISTKIT_JUMP = "distkit-jump";

  /** distkit's {@code RENDEZVOUS}: one mix per node. */
  public static final String DISTKIT_RENDEZVOUS = "distkit-rendezvous";

  /** distkit's {@code MAGLEV}, table of 65,537 slots: one table read. */
  public static final String DISTKIT_MAGLEV = "distkit-maglev";

  private NodeLookups() {}

  /**
   * A lookup over nodes.
   *
   * @param implementation one of the constants of this class
   * @param nodes the nodes' names
   * @return the lookup
   */
  public static NodeLookup create(String implementation, String[] nodes) {
    return switch (implementation) {
      case TREEMAP_RING -> new TreeMapRing(nodes);
      case GUAVA_JUMP -> (key, keyHash) -> nodes[Hashing.consistentHash(keyHash, nodes.length)];
      case DISTKIT_RING -> byHash(LocatorConfig.ring(), nodes);
      case DISTKIT_JUMP -> byHash(LocatorConfig.jump(), nodes);
      case DISTKIT_RENDEZVOUS -> byHash(LocatorConfig.rendezvous(), nodes);
      case DISTKIT_MAGLEV -> byHash(LocatorConfig.maglev(), nodes);
      case DISTKIT_RING_LOCATE -> byKey(LocatorConfig.ring(), nodes);
      case DISTKIT_KETAMA -> byKey(LocatorConfig.ketama(), nodes);
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a "
          + "node lookup");
    };
  }

  private static NodeLocator<Node> locator(LocatorConfig config, String[] nodes) {
    List<Node> list = new ArrayList<>();
    for (String node : nodes) {
      list.add(Node.of(node));
    }
    return config.locator(list);
  }

  /** {@code nodeIndex} of the precomputed hash: positions follow the order the nodes were given in. */
  private static NodeLookup byHash(LocatorConfig config, String[] nodes) {
    NodeLocator<Node> locator = locator(config, nodes);
    return (key, keyHash) -> nodes[locator.nodeIndex(keyHash)];
  }

  private static NodeLookup byKey(LocatorConfig config, String[] nodes) {
    NodeLocator<Node> locator = locator(config, nodes);
    return (key, keyHash) -> locator.locate(key).nodeId();
  }
}
