package io.distkit.hashing;

import java.util.Collection;
import java.util.List;

/**
 * Maps keys to nodes, consistently: the same key always goes to the same node, and changing the nodes moves
 * as few keys as the {@linkplain #algorithm() algorithm} allows.
 *
 * <pre>{@code
 * NodeLocator<Server> locator = LocatorConfig.maglev().locator(servers);
 * Server primary = locator.locate("user:42");
 * List<Server> replicas = locator.locate("user:42", 3);   // 3 distinct servers, in preference order
 * NodeLocator<Server> grown = locator.withNode(newServer); // a new snapshot; `locator` is unchanged
 * }</pre>
 *
 * <p><b>Immutable snapshots.</b> A locator never changes: {@link #withNode}, {@link #withoutNode} and
 * {@link #withNodes} return a new one with the same {@linkplain #config() settings}. Share the current one
 * through a {@link LocatorHolder} (or a {@code Membership}, which keeps one per membership version), so that
 * readers never lock. Thread-safe.
 *
 * <p><b>Keys.</b> A {@code String} key hashes as its UTF-8 bytes and a {@code long} as its eight little-endian
 * bytes, so {@code locate("k")} equals {@code locate("k".getBytes(UTF_8))}. Lookups of {@code String} (ASCII)
 * and {@code long} keys allocate nothing, except with {@link Algorithm#KETAMA} (MD5). Non-ASCII strings are
 * encoded into a reused per-thread buffer.
 *
 * <p><b>Indices.</b> {@link #nodes()} lists the nodes in the order the locator was built with; the
 * allocation-free methods {@link #nodeIndex(long)} and {@link #nodeIndices(long, int[])} answer with positions
 * in that list, for a precomputed {@link #hash(String) hash}.
 *
 * @param <N> the node type
 */
public interface NodeLocator<N extends Node> {

  /**
   * The node a key belongs to.
   *
   * @param key any string
   * @return its node
   * @throws IllegalStateException when the locator has no nodes
   */
  N locate(String key);

  /**
   * The node a key belongs to.
   *
   * @param key any bytes; not modified
   * @return its node
   * @throws IllegalStateException when the locator has no nodes
   */
  N locate(byte[] key);

  /**
   * The node a key belongs to.
   *
   * @param key any long
   * @return its node
   * @throws IllegalStateException when the locator has no nodes
   */
  N locate(long key);

  /**
   * Distinct nodes for a key, in preference order: the first is {@link #locate(String) locate(key)}, the next
   * ones are where its replicas go.
   *
   * @param key any string
   * @param count how many nodes, at least 1
   * @return {@code min(count, size())} distinct nodes
   * @throws IllegalArgumentException when count is not positive
   * @throws IllegalStateException when the locator has no nodes
   */
  List<N> locate(String key, int count);

  /**
   * Distinct nodes for a key, in preference order.
   *
   * @param key any bytes; not modified
   * @param count how many nodes, at least 1
   * @return {@code min(count, size())} distinct nodes
   * @throws IllegalArgumentException when count is not positive
   * @throws IllegalStateException when the locator has no nodes
   */
  List<N> locate(byte[] key, int count);

  /**
   * Distinct nodes for a key, in preference order.
   *
   * @param key any long
   * @param count how many nodes, at least 1
   * @return {@code min(count, size())} distinct nodes
   * @throws IllegalArgumentException when count is not positive
   * @throws IllegalStateException when the locator has no nodes
   */
  List<N> locate(long key, int count);

  /**
   * A key's hash, as this locator computes it (XXH3; the 32-bit MD5 prefix for {@link Algorithm#KETAMA}).
   *
   * @param key any string
   * @return the value {@link #nodeIndex(long)} takes
   */
  long hash(String key);

  /**
   * A key's hash, as this locator computes it.
   *
   * @param key any bytes; not modified
   * @return the value {@link #nodeIndex(long)} takes
   */
  long hash(byte[] key);

  /**
   * A key's hash, as this locator computes it.
   *
   * @param key any long
   * @return the value {@link #nodeIndex(long)} takes
   */
  long hash(long key);

  /**
   * The position in {@link #nodes()} of the node a hash belongs to. Allocation-free.
   *
   * <p>For {@link Algorithm#JUMP} this is exactly Guava's {@code Hashing.consistentHash(hash, size())}.
   *
   * @param hash a key's {@link #hash(String) hash}
   * @return an index in {@code [0, size())}
   * @throws IllegalStateException when the locator has no nodes
   */
  int nodeIndex(long hash);

  /**
   * The positions in {@link #nodes()} of distinct nodes for a hash, in preference order. Allocation-free.
   *
   * @param hash a key's {@link #hash(String) hash}
   * @param into receives the indices, from index 0; its length is how many are wanted
   * @return how many were written: {@code min(into.length, size())}
   * @throws IllegalStateException when the locator has no nodes
   */
  int nodeIndices(long hash, int[] into);

  /**
   * The nodes, in the order the locator was built with (for {@link Algorithm#JUMP}, bucket order).
   *
   * @return an immutable list
   */
  List<N> nodes();

  /**
   * How many nodes there are.
   *
   * @return {@code nodes().size()}
   */
  int size();

  /**
   * The algorithm.
   *
   * @return {@code config().algorithm()}
   */
  Algorithm algorithm();

  /**
   * The settings this locator was built with; {@code config().locator(nodes())} builds an equal one.
   *
   * @return the settings
   */
  LocatorConfig config();

  /**
   * A locator with one more node, or with a node re-weighted: a node whose id is already present replaces it
   * in place; a new id is appended (for {@link Algorithm#JUMP}: becomes the last bucket).
   *
   * @param node the node
   * @return a new locator; this one is unchanged
   * @throws IllegalArgumentException when the node's id or weight is invalid for this algorithm
   */
  NodeLocator<N> withNode(N node);

  /**
   * A locator without a node. For {@link Algorithm#JUMP}, removing any node but the last moves the last node
   * into the removed node's bucket (jump hash can only drop its last bucket).
   *
   * @param nodeId the id of the node to remove
   * @return a new locator, or this one when no node has that id
   */
  NodeLocator<N> withoutNode(String nodeId);

  /**
   * A locator over other nodes, with the same settings.
   *
   * @param nodes the nodes, distinct ids
   * @return a new locator
   * @throws IllegalArgumentException when two nodes share an id, or an id or weight is invalid
   */
  NodeLocator<N> withNodes(Collection<? extends N> nodes);

  /**
   * The memory held by this snapshot's lookup structures (the arrays of points, scores or slots), excluding
   * the node objects and the list that holds them.
   *
   * @return bytes, counting array headers
   */
  long tableBytes();
}
