package io.distkit.hashing;

/**
 * Something keys are placed on: a server, a shard, a worker. Implement it on your own type (a host-and-port
 * record, say), or use {@link #of(String)} when a name is all you need.
 *
 * <pre>{@code
 * record Server(String host, int port) implements Node {
 *   public String nodeId() { return host + ":" + port; }
 * }
 * }</pre>
 *
 * <p>The {@linkplain #nodeId() id} is what locators hash, so it must be stable: the same node has the same id
 * in every JVM and across restarts, and two nodes of one locator never share an id. The
 * {@linkplain #weight() weight} says how large a share of the keys the node should get, relative to the
 * others; re-weighting a node means building a locator with a node of the same id and a new weight.
 *
 * <p>Implementations should be immutable; locators read the id and weight once, when they are built.
 */
public interface Node {

  /** The longest accepted {@linkplain #nodeId() id}, in chars. */
  int MAX_ID_LENGTH = 256;

  /** The largest accepted {@linkplain #weight() weight}. */
  int MAX_WEIGHT = 1_000_000;

  /**
   * The node's stable identity: what locators hash to place it.
   *
   * @return 1 to {@value #MAX_ID_LENGTH} chars, not blank
   */
  String nodeId();

  /**
   * The node's relative capacity: a node of weight 2 gets about twice the keys of a node of weight 1.
   *
   * @return 1 to {@value #MAX_WEIGHT}; 1 unless overridden
   */
  default int weight() {
    return 1;
  }

  /**
   * A node that is just a name, of weight 1.
   *
   * @param nodeId the id
   * @return the node; equal to any other node of the same id and weight made here
   */
  static Node of(String nodeId) {
    return of(nodeId, 1);
  }

  /**
   * A node that is just a name and a weight.
   *
   * @param nodeId the id
   * @param weight 1 to {@value #MAX_WEIGHT}
   * @return the node; equal to any other node of the same id and weight made here
   */
  static Node of(String nodeId, int weight) {
    return new NamedNode(nodeId, weight);
  }
}
