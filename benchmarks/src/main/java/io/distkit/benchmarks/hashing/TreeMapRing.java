package io.distkit.benchmarks.hashing;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The classic consistent-hash ring, as most hand-written ones are: each node placed at
 * {@value #VIRTUAL_NODES} points of a {@code TreeMap<Long, String>}, a key owned by the first point at or
 * after its hash, wrapping around. The baseline a ring of distkit's must beat.
 */
public final class TreeMapRing implements NodeLookup {

  /** Points per node, as in ketama (memcached's ring). */
  public static final int VIRTUAL_NODES = 160;

  private final NavigableMap<Long, String> ring = new TreeMap<>();

  /**
   * Places the nodes.
   *
   * @param nodes the nodes' names
   */
  public TreeMapRing(String[] nodes) {
    for (String node : nodes) {
      for (int v = 0; v < VIRTUAL_NODES; v++) {
        ring.put(LookupKeys.hash(node + "#" + v), node);
      }
    }
  }

  @Override
  public String nodeFor(String key, long keyHash) {
    Map.Entry<Long, String> owner = ring.ceilingEntry(keyHash);
    return (owner != null ? owner : ring.firstEntry()).getValue();
  }
}
