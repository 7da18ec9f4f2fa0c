package io.distkit.hashing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link Algorithm#MAGLEV}: a lookup table of prime size M, filled by the nodes in turns; each node walks its
 * own permutation of the slots ({@code offset + j × skip mod M}) and takes the first free one. Turns are
 * shared out in proportion to the weights ({@link TurnOrder}).
 */
final class MaglevLocator<N extends Node> extends AbstractLocator<N> {

  private static final long OFFSET_SEED = 0x6d61676c65764f66L;
  private static final long SKIP_SEED = 0x6d61676c65765369L;

  /** {@code table[slot]} is an index into {@link #nodes}. */
  private final int[] table;
  /** Nodes that own no slot (their weight is below one slot's worth), in id order. */
  private final int[] slotless;

  MaglevLocator(LocatorConfig config, List<N> nodes, int tableSize) {
    super(config, nodes, Xxh3Hasher.INSTANCE);
    this.table = ids.length == 0 ? new int[0] : populate(tableSize);
    this.slotless = ownerless(table, ids);
  }

  private int[] populate(int m) {
    int n = ids.length;
    long[] offset = new long[n];
    long[] skip = new long[n];
    for (int i = 0; i < n; i++) {
      byte[] id = ids[i].getBytes(StandardCharsets.UTF_8);
      offset[i] = Long.remainderUnsigned(Xxh3Hasher.hash(id, OFFSET_SEED), m);
      skip[i] = Long.remainderUnsigned(Xxh3Hasher.hash(id, SKIP_SEED), m - 1) + 1;
    }
    TurnOrder turns = new TurnOrder(weights, RendezvousLocator.ranksById(ids));
    int[] next = new int[n];
    int[] slots = new int[m];
    java.util.Arrays.fill(slots, -1);
    for (int filled = 0; filled < m; filled++) {
      int i = turns.next();
      int slot = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
      while (slots[slot] >= 0) {
        next[i]++;
        slot = (int) ((offset[i] + (long) next[i] * skip[i]) % m);
      }
      slots[slot] = i;
      next[i]++;
    }
    return slots;
  }

  /**
   * Whose turn it is to take a slot. Node i takes its k-th turn at time {@code (k + 1/2) / weight(i)}; turns
   * go in order of time, equal times in id order (Sainte-Lagu&euml;'s apportionment). Equal weights give
   * plain rounds in id order, as in the paper, and after any number of turns t every node has taken
   * {@code t × w / W} turns to within {@code 1/2 + n × w / (2W)}, for every weight: its share of the table is
   * proportional to its weight, however large the weights are next to the table. The order depends only on
   * the set of nodes. A binary heap keyed by the next turn's time: O(log n) per turn.
   */
  private static final class TurnOrder {
    private final int[] weights;
    private final int[] idRank;
    /** Turns taken per node. */
    private final long[] taken;
    /** Node indices, a min-heap by (time of the next turn, id rank). */
    private final int[] heap;

    TurnOrder(int[] weights, int[] idRank) {
      this.weights = weights;
      this.idRank = idRank;
      this.taken = new long[weights.length];
      this.heap = new int[weights.length];
      for (int i = 0; i < heap.length; i++) {
        heap[i] = i;
      }
      for (int i = heap.length / 2 - 1; i >= 0; i--) {
        siftDown(i);
      }
    }

    /** The node whose turn is next; counts the turn. */
    int next() {
      int node = heap[0];
      taken[node]++;
      siftDown(0);
      return node;
    }

    /**
     * Whether a's next turn comes before b's: {@code (2 taken[a] + 1) / w[a] < (2 taken[b] + 1) / w[b]},
     * compared exactly in integers (at most 2^26 turns times 2^20 of weight).
     */
    private boolean before(int a, int b) {
      long left = (2 * taken[a] + 1) * weights[b];
      long right = (2 * taken[b] + 1) * weights[a];
      return left < right || left == right && idRank[a] < idRank[b];
    }

    private void siftDown(int at) {
      int node = heap[at];
      while (true) {
        int child = 2 * at + 1;
        if (child >= heap.length) {
          break;
        }
        if (child + 1 < heap.length && before(heap[child + 1], heap[child])) {
          child++;
        }
        if (!before(heap[child], node)) {
          break;
        }
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = node;
    }
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
    return found < wanted ? pad(into, found, wanted, slotless) : found;
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
