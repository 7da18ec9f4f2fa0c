package io.distkit.hashing;

import java.util.ArrayList;
import java.util.List;

/** Node lists for tests. */
final class TestNodes {

  private TestNodes() {}

  /** {@code count} nodes of weight 1, named {@code prefix-0} to {@code prefix-(count-1)}. */
  static List<Node> named(String prefix, int count) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(Node.of(prefix + "-" + i));
    }
    return nodes;
  }

  /** The config to test an algorithm with: defaults, except a small table for Maglev to keep tests fast. */
  static LocatorConfig config(Algorithm algorithm) {
    return algorithm == Algorithm.MAGLEV
        ? LocatorConfig.builder(Algorithm.MAGLEV).maglevTableSize(10_007).build()
        : LocatorConfig.builder(algorithm).build();
  }
}
