package io.distkit.benchmarks.hashing;

import com.google.common.hash.Hashing;

/**
 * The locators under test, by {@code implementation} {@code @Param} value.
 *
 * <p>distkit's locators join here as {@code distkit-<name>} once the {@code hashing} module has them: one
 * constant, one case below and one value in {@link HashingLookupBenchmark#implementation}. A ring gets
 * {@link TreeMapRing#VIRTUAL_NODES} points per node, like the baseline.
 */
public final class NodeLocators {

  /** The {@code TreeMap} ring: {@link TreeMapRing}. */
  public static final String TREEMAP_RING = "treemap-ring";

  /** Guava's {@code Hashing.consistentHash} (jump consistent hash), given the key's hash. */
  public static final String GUAVA_JUMP = "guava-jump";

  private NodeLocators() {}

  /**
   * A locator over nodes.
   *
   * @param implementation one of the constants of this class
   * @param nodes the nodes' names
   * @return the locator
   */
  public static NodeLocator create(String implementation, String[] nodes) {
    return switch (implementation) {
      case TREEMAP_RING -> new TreeMapRing(nodes);
      case GUAVA_JUMP -> (key, keyHash) -> nodes[Hashing.consistentHash(keyHash, nodes.length)];
      default -> throw new IllegalArgumentException("implementation ('" + implementation + "') is not a "
          + "node locator");
    };
  }
}
