package io.distkit.hashing;

import java.util.List;

/**
 * {@link Algorithm#RENDEZVOUS}: every node scores every key; the highest score wins. With equal weights the
 * score is the mixed hash itself (compared unsigned); otherwise {@code -weight / ln(u)}, the logarithmic
 * method, which gives each node a share of keys proportional to its weight.
 */
final class RendezvousLocator<N extends Node> extends AbstractLocator<N> {

  /** Per node, the XXH3 of its id: what the key's hash is mixed with. */
  private final long[] seeds;
  private final boolean uniform;
  /** Ties (equal scores) go to the smaller id, so the result depends only on the set of nodes. */
  private final int[] idRank;

  RendezvousLocator(LocatorConfig config, List<N> nodes) {
    super(config, nodes, Xxh3Hasher.INSTANCE);
    seeds = new long[ids.length];
    boolean sameWeights = true;
    for (int i = 0; i < ids.length; i++) {
      seeds[i] = Xxh3Hasher.INSTANCE.hash(ids[i]);
      sameWeights &= weights[i] == weights[0];
    }
    uniform = sameWeights;
    idRank = ranksById(ids);
  }

  static int[] ranksById(String[] ids) {
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> ids[a].compareTo(ids[b]));
    int[] rank = new int[ids.length];
    for (int r = 0; r < order.length; r++) {
      rank[order[r]] = r;
    }
    return rank;
  }

  @Override
  int index(long hash) {
    return uniform ? bestUniform(hash, Long.MIN_VALUE, -1, false) : bestWeighted(hash, 0, -1, false);
  }

  @Override
  int indices(long hash, int[] into) {
    int wanted = Math.min(into.length, ids.length);
    // the k-th choice is the best node strictly below the (k-1)-th in (score, id) order: k passes, no scratch
    int previous = -1;
    for (int k = 0; k < wanted; k++) {
      if (uniform) {
        long bound = previous < 0 ? 0 : Mix.mix64(hash ^ seeds[previous]);
        previous = bestUniform(hash, bound, previous, previous >= 0);
      } else {
        double bound = previous < 0 ? 0 : score(hash, previous);
        previous = bestWeighted(hash, bound, previous, previous >= 0);
      }
      into[k] = previous;
    }
    return wanted;
  }

  /** The best node, or with {@code bounded}, the best node below (bound, boundNode) in (score, id) order. */
  private int bestUniform(long hash, long bound, int boundNode, boolean bounded) {
    int best = -1;
    long bestScore = 0;
    for (int i = 0; i < seeds.length; i++) {
      long s = Mix.mix64(hash ^ seeds[i]);
      if (bounded && !below(Long.compareUnsigned(s, bound), i, boundNode)) {
        continue;
      }
      if (best < 0 || above(Long.compareUnsigned(s, bestScore), i, best)) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  private int bestWeighted(long hash, double bound, int boundNode, boolean bounded) {
    int best = -1;
    double bestScore = 0;
    for (int i = 0; i < seeds.length; i++) {
      double s = score(hash, i);
      if (bounded && !below(Double.compare(s, bound), i, boundNode)) {
        continue;
      }
      if (best < 0 || above(Double.compare(s, bestScore), i, best)) {
        best = i;
        bestScore = s;
      }
    }
    return best;
  }

  private double score(long hash, int node) {
    return -weights[node] / Math.log(Mix.unitInterval(Mix.mix64(hash ^ seeds[node])));
  }

  /** Whether (score of i, i) ranks above (other score, other): higher score, or equal and smaller id. */
  private boolean above(int scoreComparison, int i, int other) {
    return scoreComparison > 0 || scoreComparison == 0 && idRank[i] < idRank[other];
  }

  private boolean below(int scoreComparison, int i, int other) {
    return scoreComparison < 0 || scoreComparison == 0 && idRank[i] > idRank[other];
  }

  @Override
  public long tableBytes() {
    return ARRAY_HEADER + 8L * seeds.length + 2 * (ARRAY_HEADER + 4L * ids.length);
  }
}
