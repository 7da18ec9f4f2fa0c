package io.distkit.hashing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link Algorithm#MAGLEV}: a lookup table of prime size M, filled by the nodes in turns; each node walks its
 * own permutation of the slots ({@code offset + j × skip mod M}) and takes the first free one.
 */
final class MaglevLocator<N extends Node> extends AbstractLocator<N> {

  private static final long OFFSET_SEED = 0x6d61676c65764f66L;
  private static final long SKIP_SEED = 0x6d61676c65765369L;

  /** {@code table[slot]} is an index into {@link #nodes}. */
  private final int[] table;

  MaglevLocator(LocatorConfig config, List<N> nodes) {
    super(config, nodes, Xxh3Hasher.INSTANCE);
    this.table = ids.length == 0 ? new int[0] : populate(config.maglevTableSize());
  }

  private int[] populate(int m) {
    int n = ids.length;
    // turns go in id order, so the table depends only on the set of nodes
    int[] byId = new int[n];
    int[] rank = RendezvousLocator.ranksById(ids);
    for (int i = 0; i < n; i++) {
      byId[rank[i]] = i;
    }
    long[] offset = new long[n];
    long[] skip = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] id = ids[i].getBytes(StandardCharsets.UTF_8);
      offset[i] = Long.remainderUnsigned(Xxh3Hasher.hash(id, OFFSET_SEED), m);
      skip[i] = Long.remainderUnsigned(Xxh3Hasher.hash(id, SKIP_SEED), m - 1) + 1;
    }
    // weights are relative: {2, 2} fills the table as {1, 1} does
    int divisor = 0;
    for (int w : weights) {
      divisor = gcd(divisor, w);
    }
    int[] next = new int[n];
    int[] slots = new int[m];
    java.util.Arrays.fill(slots, -1);
    int filled = 0;
    while (true) {
      for (int r = 0; r < n; r++) {
        int i = byId[r];
        for (int turn = weights[i] / divisor; turn > 0; turn--) {
          int slot = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
          while (slots[slot] >= 0) {
            next[i]++;
            slot = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
          }
          slots[slot] = i;
          next[i]++;
          if (++filled == m) {
            return slots;
          }
        }
      }
    }
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The slot of a hash: the top 32 bits scaled to [0, M) by a multiply, no division. */
  private int slot(long hash) {
    return (int) (((hash >>> 32) * table.length) >>> 32);
  }

  @Override
  int index(long hash) {
    return table[slot(hash)];
  }

  @Override
  int indices(long hash, int[] into) {
    int wanted = Math.min(into.length, ids.length);
    // the following slots belong to pseudo-random nodes: the first distinct ones are the replicas
    int found = distinctOwners(table, slot(hash), into, wanted);
    // a node of tiny weight in a crowded table may own no slot at all: it comes last
    for (int i = 0; found < wanted && i < ids.length; i++) {
      if (!contains(into, found, i)) {
        into[found++] = i;
      }
    }
    return found;
  }

  /**
   * How many slots each node holds.
   *
   * @return per node, in {@link #nodes()} order
   */
  int[] slotsPerNode() {
    int[] counts = new int[ids.length];
    for (int owner : table) {
      counts[owner]++;
    }
    return counts;
  }

  @Override
  public long tableBytes() {
    return ARRAY_HEADER + 4L * table.length;
  }
}
