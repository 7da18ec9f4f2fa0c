package io.distkit.hashing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What every locator shares: nodes, ids, weights, the key hash, and the key-type overloads. A subclass
 * implements {@link #index(long)} and {@link #indices(long, int[])} over a non-empty node list.
 */
abstract class AbstractLocator<N extends Node> implements NodeLocator<N> {

  /** Bytes of an array header, for {@link #tableBytes()}. */
  static final long ARRAY_HEADER = 16;

  final LocatorConfig config;
  final List<N> nodes;
  /** Ids and weights, read once at build time (a node's methods may not be cheap). */
  final String[] ids;
  final int[] weights;
  final KeyHasher hasher;

  AbstractLocator(LocatorConfig config, List<N> nodes, KeyHasher hasher) {
    this.config = config;
    this.nodes = nodes;
    this.hasher = hasher;
    this.ids = new String[nodes.size()];
    this.weights = new int[nodes.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = nodes.get(i).nodeId();
      weights[i] = nodes.get(i).weight();
    }
  }

  /** The node index of a hash; the locator is not empty. */
  abstract int index(long hash);

  /** Distinct node indices in preference order; the locator is not empty; writes min(into.length, size). */
  abstract int indices(long hash, int[] into);

  @Override
  public final N locate(String key) {
    return nodes.get(nodeIndex(hash(key)));
  }

  @Override
  public final N locate(byte[] key) {
    return nodes.get(nodeIndex(hash(key)));
  }

  @Override
  public final N locate(long key) {
    return nodes.get(nodeIndex(hasher.hash(key)));
  }

  @Override
  public final List<N> locate(String key, int count) {
    return preference(hash(key), count);
  }

  @Override
  public final List<N> locate(byte[] key, int count) {
    return preference(hash(key), count);
  }

  @Override
  public final List<N> locate(long key, int count) {
    return preference(hasher.hash(key), count);
  }

  private List<N> preference(long hash, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count (" + count + ") must be positive");
    }
    int[] into = new int[Math.min(count, nodes.size())];
    int found = nodeIndices(hash, into);
    List<N> result = new ArrayList<>(found);
    for (int i = 0; i < found; i++) {
      result.add(nodes.get(into[i]));
    }
    return List.copyOf(result);
  }

  @Override
  public final long hash(String key) {
    return hasher.hash(Objects.requireNonNull(key, "key"));
  }

  @Override
  public final long hash(byte[] key) {
    return hasher.hash(Objects.requireNonNull(key, "key"));
  }

  @Override
  public final long hash(long key) {
    return hasher.hash(key);
  }

  @Override
  public final int nodeIndex(long hash) {
    requireNodes();
    return index(hash);
  }

  @Override
  public final int nodeIndices(long hash, int[] into) {
    Objects.requireNonNull(into, "into");
    requireNodes();
    return into.length == 0 ? 0 : indices(hash, into);
  }

  private void requireNodes() {
    if (ids.length == 0) {
      throw new IllegalStateException("This " + config.algorithm() + " locator has no nodes");
    }
  }

  /**
   * Walks a circular array of owners from {@code start}, writing each owner not seen yet into {@code into}, until
   * {@code wanted} are found or the walk has gone all the way round.
   *
   * @return how many were written
   */
  static int distinctOwners(int[] owners, int start, int[] into, int wanted) {
    int found = 0;
    int at = start;
    for (int step = 0; step < owners.length && found < wanted; step++) {
      int owner = owners[at];
      if (!contains(into, found, owner)) {
        into[found++] = owner;
      }
      at = at + 1 == owners.length ? 0 : at + 1;
    }
    return found;
  }

  /**
   * The nodes that own no entry of a table of owners (ring points, Maglev slots), in id order: they come last
   * in every preference list, so that a list still holds {@code min(count, size())} distinct nodes.
   *
   * @return their indices; empty when every node owns an entry (always, for RING)
   */
  static int[] ownerless(int[] owners, String[] ids) {
    boolean[] owns = new boolean[ids.length];
    int owning = 0;
    for (int owner : owners) {
      if (!owns[owner]) {
        owns[owner] = true;
        owning++;
      }
    }
    if (owning == ids.length) {
      return new int[0];
    }
    int[] rank = RendezvousLocator.ranksById(ids);
    int[] byRank = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      byRank[rank[i]] = i;
    }
    int[] result = new int[ids.length - owning];
    int at = 0;
    for (int i : byRank) {
      if (!owns[i]) {
        result[at++] = i;
      }
    }
    return result;
  }

  /** Appends nodes of {@code extra} not yet in {@code into[0, found)}, until {@code wanted}; returns the count. */
  static int pad(int[] into, int found, int wanted, int[] extra) {
    for (int e = 0; found < wanted && e < extra.length; e++) {
      if (!contains(into, found, extra[e])) {
        into[found++] = extra[e];
      }
    }
    return found;
  }

  /** Whether {@code into[0, count)} holds {@code index}: replica lists are short, a scan is cheapest. */
  static boolean contains(int[] into, int count, int index) {
    for (int i = 0; i < count; i++) {
      if (into[i] == index) {
        return true;
      }
    }
    return false;
  }

  @Override
  public final List<N> nodes() {
    return nodes;
  }

  @Override
  public final int size() {
    return ids.length;
  }

  @Override
  public final Algorithm algorithm() {
    return config.algorithm();
  }

  @Override
  public final LocatorConfig config() {
    return config;
  }

  /** Where a node of this id sits in {@link #nodes()}, or -1. */
  final int positionOf(String nodeId) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i].equals(nodeId)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public final NodeLocator<N> withNode(N node) {
    Objects.requireNonNull(node, "node");
    List<N> next = new ArrayList<>(nodes);
    int at = positionOf(node.nodeId());
    if (at >= 0) {
      next.set(at, node);
    } else {
      next.add(node);
    }
    return config.locator(next);
  }

  @Override
  public final NodeLocator<N> withoutNode(String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    int at = positionOf(nodeId);
    return at < 0 ? this : config.locator(without(at));
  }

  /** The nodes without the one at {@code at}, in the order the new locator should have them. */
  List<N> without(int at) {
    List<N> next = new ArrayList<>(nodes);
    next.remove(at);
    return next;
  }

  @Override
  public final NodeLocator<N> withNodes(Collection<? extends N> nodes) {
    return config.locator(nodes);
  }

  @Override
  public String toString() {
    return config + " over " + ids.length + " nodes";
  }
}
