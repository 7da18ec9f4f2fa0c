package io.distkit.hashing;

/** {@link Node#of(String, int)}. */
record NamedNode(String nodeId, int weight) implements Node {

  NamedNode {
    NodeChecks.check(nodeId, weight);
  }

  @Override
  public String toString() {
    return weight == 1 ? nodeId : nodeId + "(weight " + weight + ")";
  }
}
